namespace Perpetuo.Transport.Tests;

/// <summary>The consumer treats the region as written by an enemy: garbage gives Faulty, never an exception.</summary>
public sealed class UntrustedRegionTests
{
    private static readonly int WritePositionOffset = TestRegion.HeaderOffset(nameof(RegionHeader.WritePosition));

    private static (TestRegion T, AudioRingWriter W, AudioRingReader R, float[] Dest) WithBlocks(int count, int capacity = 4)
    {
        var t = new TestRegion(frames: 64, channels: 2, capacity: capacity);
        var w = new AudioRingWriter(t.Region);
        float[] b = new float[t.Layout.BlockSamples];
        for (long s = 0; s < count; s++)
        {
            RingBench.Payload.FillStress(s, b);
            Assert.True(w.TryWrite(s, b));
        }
        return (t, w, new AudioRingReader(t.Region), new float[t.Layout.BlockSamples]);
    }

    [Theory]
    [InlineData(long.MaxValue)]
    [InlineData(long.MaxValue / 3)] // what the worker's and supervisor's fault injection scribble
    [InlineData(5)]                // capacity 4, block 0 asked: one more than the ring can hold
    [InlineData(1L << 40)]
    public void AWritePositionBeyondTheRingIsFaulty(long garbage)
    {
        var (t, _, reader, dest) = WithBlocks(2);
        using (t)
        {
            new SupervisorLink(t.Region).CorruptProducerLine(garbage);
            Assert.Equal(ReadResult.Faulty, reader.TryRead(0, dest, out _));
            Assert.Equal(ReadResult.Faulty, reader.TryPeekHash(0, out _));
            // Block 1 is in range of a write position of 5 (slot 1 still holds it); any larger claim is not.
            Assert.Equal(garbage > 5 ? ReadResult.Faulty : ReadResult.Ok, reader.TryRead(1, dest, out _));
        }
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(long.MinValue)]
    public void ANegativeWritePositionIsFaultyAndNeverThrows(long garbage)
    {
        var (t, _, reader, dest) = WithBlocks(2);
        using (t)
        {
            new SupervisorLink(t.Region).CorruptProducerLine(garbage);
            // Positions only grow from 0: a negative one can only be garbage.
            Assert.Equal(ReadResult.Faulty, reader.TryRead(0, dest, out _));
            Assert.Equal(ReadResult.Faulty, reader.TryPeekHash(1, out _));
        }
    }

    [Fact]
    public void ASlotStampedWithAnotherSequenceIsFaulty()
    {
        var (t, _, reader, dest) = WithBlocks(2);
        using (t)
        {
            t.PokeLong(t.SlotOffset(0) + TestRegion.SlotHeaderOffset(nameof(AudioSlotHeader.Seq)), 4);
            Assert.Equal(ReadResult.Faulty, reader.TryRead(0, dest, out _));
            t.PokeLong(t.SlotOffset(1) + TestRegion.SlotHeaderOffset(nameof(AudioSlotHeader.Seq)), -1); // "being written"
            Assert.Equal(ReadResult.Faulty, reader.TryRead(1, dest, out _));
        }
    }

    [Theory]
    [InlineData(nameof(AudioSlotHeader.Frames), 63)]
    [InlineData(nameof(AudioSlotHeader.Frames), int.MaxValue)]
    [InlineData(nameof(AudioSlotHeader.Channels), 1)]
    [InlineData(nameof(AudioSlotHeader.Channels), -2)]
    public void ASlotWithTheWrongFrameOrChannelCountIsFaulty(string field, int value)
    {
        var (t, _, reader, dest) = WithBlocks(1);
        using (t)
        {
            t.PokeInt(t.SlotOffset(0) + TestRegion.SlotHeaderOffset(field), value);
            Assert.Equal(ReadResult.Faulty, reader.TryRead(0, dest, out _));
        }
    }

    [Fact]
    public void ASampleChangedAfterPublishingFailsTheHashCheck()
    {
        var (t, _, reader, dest) = WithBlocks(1);
        using (t)
        {
            Assert.Equal(ReadResult.Ok, reader.TryRead(0, dest, out _));
            long at = t.SampleOffset(0, 77);
            t.Poke(at, [(byte)(t.Peek(at) ^ 0x01)]); // one bit of one sample, through the file: still finite

            Assert.Equal(ReadResult.Faulty, reader.TryRead(0, dest, out _));
        }
    }

    [Fact]
    public void AScribbledHashIsFaulty()
    {
        var (t, _, reader, dest) = WithBlocks(1);
        using (t)
        {
            t.PokeLong(t.SlotOffset(0) + TestRegion.SlotHeaderOffset(nameof(AudioSlotHeader.Hash)), 12345);
            Assert.Equal(ReadResult.Faulty, reader.TryRead(0, dest, out _));
        }
    }

    [Theory]
    [InlineData(float.NaN, 0)]
    [InlineData(float.PositiveInfinity, 127)]
    [InlineData(float.NegativeInfinity, 5)]
    public void NonFiniteSamplesWithACorrectHashAreFaulty(float bad, int index)
    {
        using var t = new TestRegion(frames: 64, channels: 2);
        var writer = new AudioRingWriter(t.Region);
        var reader = new AudioRingReader(t.Region);
        float[] block = new float[t.Layout.BlockSamples];
        block[index] = bad;
        Assert.True(writer.TryWrite(0, block)); // the writer hashes whatever it gets

        Assert.Equal(ReadResult.Ok, reader.TryPeekHash(0, out ulong hash));
        Assert.Equal(BlockHash.Compute(block), hash);
        Assert.Equal(ReadResult.Faulty, reader.TryRead(0, new float[t.Layout.BlockSamples], out _));
    }

    [Fact]
    public void RandomGarbageOverTheProducersLinesAndSlotsNeverThrowsOrReadsOk()
    {
        var rng = new Random(1234);
        using var t = new TestRegion(frames: 16, channels: 1, capacity: 8);
        var reader = new AudioRingReader(t.Region);
        float[] dest = new float[t.Layout.BlockSamples];
        byte[] slots = new byte[t.Layout.SlotStride * t.Layout.RingCapacity];
        for (int round = 0; round < 300; round++)
        {
            rng.NextBytes(slots);
            t.Poke(t.Layout.AudioRingOffset, slots);
            long written = round % 3 == 0 ? rng.NextInt64() : rng.NextInt64(-4, 20);
            new SupervisorLink(t.Region).CorruptProducerLine(written);
            for (int i = 0; i < 20; i++)
            {
                long seq = i < 10 ? i : rng.NextInt64(long.MinValue, long.MaxValue);
                Assert.NotEqual(ReadResult.Ok, reader.TryRead(seq, dest, out _));
                reader.TryPeekHash(seq, out _);
            }
        }
    }
}
