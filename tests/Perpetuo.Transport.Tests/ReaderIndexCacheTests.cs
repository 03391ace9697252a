namespace Perpetuo.Transport.Tests;

/// <summary>
/// The consumer's cached copy of the producer's write position: it saves a cross-core read per block, and must
/// never let a block a dead worker left in the ring pass for the new worker's, nor hide garbage for long.
/// </summary>
public sealed class ReaderIndexCacheTests
{
    private static float[] Block(TestRegion t, long seq, int salt = 0)
    {
        float[] b = new float[t.Layout.BlockSamples];
        RingBench.Payload.FillStress(seq + (salt * 1_000_003L), b);
        return b;
    }

    [Fact]
    public void BlocksADeadWorkerLeftBehindAreMissingForTheNewWorkerUntilItWritesThem()
    {
        using var t = new TestRegion(capacity: 4);
        var dead = new AudioRingWriter(t.Region);
        var reader = new AudioRingReader(t.Region);
        float[] dest = new float[t.Layout.BlockSamples];
        for (long s = 0; s < 4; s++)
        {
            Assert.True(dead.TryWrite(s, Block(t, s, salt: 1)));
        }
        Assert.Equal(ReadResult.Ok, reader.TryRead(0, dest, out _)); // the reader now knows blocks 0..3 are out
        reader.Release(1);

        new SupervisorLink(t.Region).ResetForNewWorker(1); // the worker died; a new one starts at block 1
        var fresh = new AudioRingWriter(t.Region);

        Assert.Equal(ReadResult.Missing, reader.TryRead(1, dest, out _));
        Assert.Equal(ReadResult.Missing, reader.TryPeekHash(2, out _));
        Assert.True(fresh.TryWrite(1, Block(t, 1, salt: 2)));
        Assert.Equal(ReadResult.Ok, reader.TryRead(1, dest, out ulong hash));
        Assert.Equal(Block(t, 1, salt: 2), dest);
        Assert.Equal(BlockHash.Compute(Block(t, 1, salt: 2)), hash);
        Assert.Equal(ReadResult.Missing, reader.TryRead(2, dest, out _)); // still the dead worker's block 2 in its slot
    }

    [Fact]
    public void AGarbageWritePositionIsFaultyAtTheLatestOnceTheCachedBlocksAreRead()
    {
        using var t = new TestRegion(capacity: 4);
        var writer = new AudioRingWriter(t.Region);
        var reader = new AudioRingReader(t.Region);
        float[] dest = new float[t.Layout.BlockSamples];
        for (long s = 0; s < 3; s++)
        {
            writer.TryWrite(s, Block(t, s));
        }
        Assert.Equal(ReadResult.Ok, reader.TryRead(0, dest, out _));

        new SupervisorLink(t.Region).CorruptProducerLine(long.MaxValue / 3);

        // Blocks 1 and 2 were published, are intact and verified: they may still be played.
        Assert.Equal(ReadResult.Ok, reader.TryRead(1, dest, out _));
        Assert.Equal(Block(t, 1), dest);
        Assert.Equal(ReadResult.Ok, reader.TryRead(2, dest, out _));
        // Block 3 needs the shared index again, and the garbage is found.
        Assert.Equal(ReadResult.Faulty, reader.TryRead(3, dest, out _));
    }

    [Fact]
    public void ASlotOverwrittenBehindTheCachedIndexIsStillFaulty()
    {
        using var t = new TestRegion(capacity: 4);
        var writer = new AudioRingWriter(t.Region);
        var reader = new AudioRingReader(t.Region);
        float[] dest = new float[t.Layout.BlockSamples];
        for (long s = 0; s < 4; s++)
        {
            writer.TryWrite(s, Block(t, s));
        }
        Assert.Equal(ReadResult.Ok, reader.TryRead(0, dest, out _));

        // A broken producer scribbles a sample of block 2, which the reader knows to be published.
        t.Poke(t.SampleOffset(2, 5), BitConverter.GetBytes(123.5f));
        Assert.Equal(ReadResult.Faulty, reader.TryRead(2, dest, out _));
        // And restamps block 3's slot with another block's number.
        t.PokeLong(t.SlotOffset(3) + TestRegion.SlotHeaderOffset(nameof(AudioSlotHeader.Seq)), 7);
        Assert.Equal(ReadResult.Faulty, reader.TryRead(3, dest, out _));
    }
}
