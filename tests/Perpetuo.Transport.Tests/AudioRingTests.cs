namespace Perpetuo.Transport.Tests;

public sealed class AudioRingTests
{
    private static float[] Block(TestRegion t, long seq)
    {
        float[] b = new float[t.Layout.BlockSamples];
        RingBench.Payload.FillStress(seq, b);
        return b;
    }

    [Fact]
    public void ABlockWrittenIsReadBackSampleForSampleWithTheProducersHash()
    {
        using var t = new TestRegion(frames: 64, channels: 2, capacity: 4);
        var writer = new AudioRingWriter(t.Region);
        var reader = new AudioRingReader(t.Region);
        float[] dest = new float[t.Layout.BlockSamples];

        Assert.True(writer.TryWrite(0, Block(t, 0)));

        Assert.Equal(ReadResult.Ok, reader.TryRead(0, dest, out ulong hash));
        Assert.Equal(Block(t, 0), dest);
        Assert.Equal(BlockHash.Compute(Block(t, 0)), hash);
        Assert.Equal(ReadResult.Ok, reader.TryPeekHash(0, out ulong peeked));
        Assert.Equal(hash, peeked);
        Assert.Equal(1, reader.WritePosition);
    }

    [Fact]
    public void ABlockNotYetWrittenIsMissing()
    {
        using var t = new TestRegion();
        var writer = new AudioRingWriter(t.Region);
        var reader = new AudioRingReader(t.Region);
        float[] dest = new float[t.Layout.BlockSamples];

        Assert.Equal(ReadResult.Missing, reader.TryRead(0, dest, out _));
        Assert.Equal(ReadResult.Missing, reader.TryPeekHash(0, out _));
        writer.TryWrite(0, Block(t, 0));
        Assert.Equal(ReadResult.Missing, reader.TryRead(1, dest, out _));
    }

    [Fact]
    public void TheCallersBufferKeepsItsBlockAfterTheProducerReusedTheSlot()
    {
        using var t = new TestRegion(capacity: 2);
        var writer = new AudioRingWriter(t.Region);
        var reader = new AudioRingReader(t.Region);
        float[] kept = new float[t.Layout.BlockSamples];
        writer.TryWrite(0, Block(t, 0));
        writer.TryWrite(1, Block(t, 1));
        Assert.Equal(ReadResult.Ok, reader.TryRead(0, kept, out _));

        reader.Release(1);
        Assert.True(writer.TryWrite(2, Block(t, 2))); // same slot as block 0

        Assert.Equal(Block(t, 0), kept);
        Assert.Equal(ReadResult.Faulty, reader.TryRead(0, new float[t.Layout.BlockSamples], out _)); // slot now stamped 2
        Assert.Equal(ReadResult.Ok, reader.TryRead(2, new float[t.Layout.BlockSamples], out _));
    }

    [Fact]
    public void TheProducerRefusesToOverwriteAnUnreleasedSlot()
    {
        using var t = new TestRegion(capacity: 4);
        var writer = new AudioRingWriter(t.Region);
        var reader = new AudioRingReader(t.Region);
        for (long s = 0; s < 4; s++)
        {
            Assert.True(writer.TryWrite(s, Block(t, s)));
        }

        Assert.False(writer.CanWrite(4));
        Assert.False(writer.TryWrite(4, Block(t, 4)));
        Assert.Equal(4, reader.WritePosition);
        float[] dest = new float[t.Layout.BlockSamples];
        Assert.Equal(ReadResult.Ok, reader.TryRead(0, dest, out _)); // the refused write touched nothing
        Assert.Equal(Block(t, 0), dest);

        reader.Release(1);
        Assert.True(writer.TryWrite(4, Block(t, 4)));
        Assert.False(writer.TryWrite(5, Block(t, 5)));
    }

    [Fact]
    public void AWrongSizedBlockIsAnArgumentError()
    {
        using var t = new TestRegion(frames: 64, channels: 2);
        var writer = new AudioRingWriter(t.Region);
        Assert.Throws<ArgumentException>(() => writer.TryWrite(0, new float[127]));
    }

    [Fact]
    public void BlocksACatchingUpProducerWritesBelowTheReadPositionNeverSatisfyLaterBlocks()
    {
        using var t = new TestRegion(capacity: 4);
        var writer = new AudioRingWriter(t.Region);
        var reader = new AudioRingReader(t.Region);
        float[] dest = new float[t.Layout.BlockSamples];
        reader.Release(10); // the consumer has moved on to block 10 (e.g. played it from the standby)

        for (long s = 3; s < 8; s++)
        {
            Assert.True(writer.TryWrite(s, Block(t, s))); // old blocks: allowed, never read
        }

        for (long s = 8; s < 14; s++)
        {
            Assert.Equal(ReadResult.Missing, reader.TryRead(s, dest, out _));
        }
        for (long s = 8; s < 14; s++)
        {
            Assert.True(writer.TryWrite(s, Block(t, s))); // 8..13 < 10 + 4: all slots free
        }
        Assert.False(writer.TryWrite(14, Block(t, 14)));
        Assert.Equal(ReadResult.Ok, reader.TryRead(10, dest, out _));
        Assert.Equal(Block(t, 10), dest);
    }

    [Fact]
    public void TheRingHandsOutNoViewIntoSharedMemory()
    {
        // The predecessor's bug began with a reader that returned a span into the ring. This reader only copies.
        Type[] views = [typeof(Span<float>), typeof(ReadOnlySpan<float>), typeof(Memory<float>), typeof(ReadOnlyMemory<float>),
                        typeof(float[]), typeof(IntPtr)];
        foreach (var m in typeof(AudioRingReader).GetMethods())
        {
            Assert.DoesNotContain(m.ReturnType, views);
            Assert.False(m.ReturnType.IsPointer, m.Name);
        }
    }

    [Fact]
    public void WritingReadingAndReleasingAllocateNothingOnceWarm()
    {
        using var t = new TestRegion(frames: 256, channels: 2, capacity: 4);
        var writer = new AudioRingWriter(t.Region);
        var reader = new AudioRingReader(t.Region);
        float[] src = Block(t, 1);
        float[] dest = new float[t.Layout.BlockSamples];
        RoundTrips(writer, reader, src, dest, 0, 1000);

        long before = GC.GetAllocatedBytesForCurrentThread();
        int ok = RoundTrips(writer, reader, src, dest, 1000, 10_000);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(9_000, ok); // every block went through, so nothing was skipped to look cheap
        Assert.Equal(src, dest);
    }

    /// <summary>Writes, reads, peeks and releases blocks <paramref name="from"/>..<paramref name="to"/>; returns how many were read Ok.</summary>
    private static int RoundTrips(AudioRingWriter writer, AudioRingReader reader, float[] src, float[] dest, long from, long to)
    {
        int ok = 0;
        for (long s = from; s < to; s++)
        {
            writer.TryWrite(s, src);
            ok += reader.TryRead(s, dest, out _) == ReadResult.Ok && reader.TryPeekHash(s, out _) == ReadResult.Ok ? 1 : 0;
            reader.Release(s + 1);
        }
        return ok;
    }
}
