using Perpetuo.Supervisor.Callback;

namespace Perpetuo.Supervisor.Tests.Callback;

[Collection(AllocationCollection.Name)]
public sealed class BlockReaderTests
{
    [Fact]
    public void EachBlockIsCopiedFromTheActiveSlotInSequence()
    {
        using var rings = new RingPair();
        for (long n = 0; n < 20; n++)
        {
            rings.Write(0, n);
            rings.Write(1, n);
            Assert.Equal(RingPair.Block(n), rings.Play());
        }
        Assert.Equal(20, rings.Reader.NextSeq);
        Assert.Equal(0, rings.Reader.Underruns);
        Assert.Equal(0, rings.Reader.Failovers);
        Assert.Equal(0, rings.Reader.Divergences);
        Assert.Equal(19, rings.Channels_[0].LastSeq);
        Assert.Equal(20, rings.Channels_[1].MatchStreak);
    }

    [Fact]
    public void ABlockMissingInTheActiveSlotIsTakenFromTheStandbyWhichBecomesActive()
    {
        using var rings = new RingPair();
        rings.Write(0, 0);
        rings.Write(1, 0);
        rings.Play();
        rings.Write(1, 1); // slot 0 "died" before block 1
        Assert.Equal(RingPair.Block(1), rings.Play());
        Assert.Equal(1, rings.Reader.ActiveSlot);
        Assert.Equal(1, rings.Reader.Failovers);
        Assert.Equal(0, rings.Reader.Underruns);
        EngineEvent failover = Assert.Single(rings.DrainEvents(), e => e.Kind == EngineEventKind.Failover);
        Assert.Equal((0, 1, 1L), (failover.Slot, failover.OtherSlot, failover.Seq));
        // The active slot stays the new one even when the old one has the next block again.
        rings.Write(0, 2);
        rings.Write(1, 2);
        Assert.Equal(RingPair.Block(2), rings.Play());
        Assert.Equal(1, rings.Reader.ActiveSlot);
    }

    [Fact]
    public void WhenNeitherSlotHasTheBlockTheOutputFadesToSilenceAndTheSequenceStillAdvances()
    {
        using var rings = new RingPair();
        rings.Write(0, 0);
        float[] last = rings.Play();
        float[] gap = rings.Play(); // nobody has block 1
        Assert.Equal(1, rings.Reader.Underruns);
        Assert.Equal(2, rings.Reader.NextSeq);
        // First frame continues from the last sample played (no step), then ramps to exact zero.
        for (int c = 0; c < RingPair.Channels; c++)
        {
            float previous = last[^(RingPair.Channels - c)];
            Assert.True(MathF.Abs(gap[c] - previous) <= MathF.Abs(previous) / 32 + 1e-6f, $"step at the gap start on channel {c}");
        }
        Assert.All(gap[^RingPair.Channels..], s => Assert.Equal(0f, s));
        // Block 1 arriving late is never played: the reader wants block 2.
        rings.Write(0, 1);
        rings.Write(0, 2);
        float[] back = rings.Play();
        Assert.Equal(2, rings.Channels_[0].LastSeq);
        // Audio comes back with a fade-in: first frame scaled down, tail untouched.
        float[] expected = RingPair.Block(2);
        Assert.True(MathF.Abs(back[0]) <= MathF.Abs(expected[0]) / 32 + 1e-6f);
        Assert.Equal(expected[^1], back[^1]);
    }

    [Fact]
    public void DifferentHashesForTheSameBlockAreCountedAsDivergence()
    {
        using var rings = new RingPair();
        rings.Write(0, 0);
        rings.Write(1, 0, offset: 1e-3f);
        Assert.Equal(RingPair.Block(0), rings.Play());
        Assert.Equal(1, rings.Reader.Divergences);
        Assert.Equal(0, rings.Channels_[1].MatchStreak);
        EngineEvent d = Assert.Single(rings.DrainEvents());
        Assert.Equal((EngineEventKind.Divergence, 1, 0), (d.Kind, d.Slot, d.OtherSlot));
    }

    [Fact]
    public void AFaultAndAMismatchFoundWhileTheEventQueueIsFullAreStillCountedOnTheirSlot()
    {
        using var rings = new RingPair(eventCapacity: 2);
        for (long n = 0; n < 4; n++)
        {
            rings.Play(); // underruns fill the event queue; nobody drains it
        }
        rings.Write(0, 4);
        rings.Write(1, 4, offset: 0.25f);
        rings.Play();
        Assert.Equal(1, rings.Channels_[1].Mismatches);
        rings.Write(0, 5);
        rings.Write(1, 5);
        rings.Links[1].CorruptProducerLine(-5);
        rings.Play();
        Assert.Equal(1, rings.Channels_[1].Faults);
        Assert.True(rings.Events.Dropped > 0);
        Assert.DoesNotContain(rings.DrainEvents(), e => e.Kind is EngineEventKind.Faulty or EngineEventKind.Divergence);
    }

    [Theory]
    [InlineData(long.MaxValue / 3)]
    [InlineData(-5)]
    [InlineData(1000)]
    public void GarbageWritePositionMarksTheSlotFaultyAndTheOtherSlotPlays(long garbage)
    {
        using var rings = new RingPair();
        rings.Write(0, 0);
        rings.Write(1, 0);
        rings.Links[0].CorruptProducerLine(garbage);
        float[] output = rings.Play();
        Assert.Equal(1, rings.Channels_[0].Faults);
        Assert.Contains(rings.DrainEvents(), e => e.Kind == EngineEventKind.Faulty && e.Slot == 0);
        Assert.Equal(RingPair.Block(0), output);
        Assert.Equal(0, rings.Reader.Underruns);
    }

    [Fact]
    public void NonFiniteSamplesMarkTheSlotFaultyAndAreNeverPlayed()
    {
        using var rings = new RingPair();
        float[] poisoned = RingPair.Block(0);
        poisoned[7] = float.NaN;
        Assert.True(rings.Writers[0].TryWrite(0, poisoned));
        rings.Write(1, 0);
        float[] output = rings.Play();
        Assert.Equal(RingPair.Block(0), output);
        Assert.Equal(1, rings.Channels_[0].Faults);
        // Latched: slot 0 is not read again until the control thread attaches a new worker.
        rings.Write(0, 1);
        rings.Write(1, 1);
        rings.Play();
        Assert.Equal(1, rings.Channels_[0].Faults);
        Assert.Equal(-1, rings.Channels_[0].LastSeq);
        rings.Channels_[0].NextGeneration();
        rings.Write(0, 2);
        rings.Write(1, 2);
        rings.Play();
        Assert.Equal(0, rings.Channels_[1].Misses);
    }

    [Fact]
    public void BlocksBeforeARespawnedWorkersFirstBlockAreIgnoredNotJudgedFaulty()
    {
        using var rings = new RingPair(capacity: 8);
        for (long n = 0; n < 3; n++)
        {
            rings.Write(0, n);
            rings.Write(1, n);
            rings.Play();
        }
        // Slot 1's worker dies; a new one starts from a snapshot at block 6, ahead of the output (at block 3), while
        // slot 1's ring still holds the old worker's blocks 0..2 in other slots.
        rings.Channels_[1].Mode = SlotMode.Off;
        rings.Links[1].ResetForNewWorker(6);
        rings.Channels_[1].FirstSeq = 6;
        rings.Channels_[1].NextGeneration();
        rings.Channels_[1].Mode = SlotMode.VerifyOnly;
        rings.Write(1, 6);
        rings.Write(1, 7);
        for (long n = 3; n < 8; n++)
        {
            rings.Write(0, n);
            Assert.Equal(RingPair.Block(n), rings.Play());
        }
        Assert.Equal(0, rings.Channels_[1].Faults);
        Assert.DoesNotContain(rings.DrainEvents(), e => e.Kind == EngineEventKind.Faulty);
        Assert.Equal(2, rings.Channels_[1].MatchStreak); // blocks 6 and 7 verified
    }

    [Fact]
    public void AVerifyOnlySlotIsComparedButNeverPlayed()
    {
        using var rings = new RingPair();
        rings.Channels_[1].Mode = SlotMode.VerifyOnly;
        for (long n = 0; n < 5; n++)
        {
            rings.Write(1, n);
        }
        for (long n = 0; n < 5; n++)
        {
            rings.Play(); // slot 0 has nothing: underruns, never slot 1's audio
        }
        Assert.Equal(5, rings.Reader.Underruns);
        Assert.Equal(-1, rings.Channels_[1].LastSeq);
        rings.Write(0, 5);
        rings.Write(1, 5);
        rings.Play();
        Assert.Equal(1, rings.Channels_[1].MatchStreak);
    }

    [Fact]
    public void TheCallbackAllocatesNothingOverTenThousandBlocksWithTwoSlots()
    {
        using var rings = new RingPair(capacity: 4);
        float[] block = RingPair.Block(0);
        var output = new float[block.Length];
        // Warm-up runs every path the measured loop runs (failover, underrun, divergence check), so first-use
        // costs (type loading, JIT) are not counted.
        Exercise(rings, block, output, 0, 2000);
        long underruns = rings.Reader.Underruns, failovers = rings.Reader.Failovers, next = rings.Reader.NextSeq;
        long before = GC.GetAllocatedBytesForCurrentThread();
        Exercise(rings, block, output, 2000, 12_000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.True(rings.Reader.Blocks > 10_000);
        // The measured window took the paths it claims to: blocks played, failovers and underruns among them.
        Assert.Equal(next + 10_000, rings.Reader.NextSeq); // one block per call
        Assert.True(rings.Reader.Failovers > failovers, "no failover in the measured window");
        Assert.True(rings.Reader.Underruns > underruns, "no underrun in the measured window");
    }

    private static void Exercise(RingPair rings, float[] block, float[] output, long from, long to)
    {
        for (long k = from; k < to; k++)
        {
            long n = rings.Reader.NextSeq; // the block this callback will play
            if (k % 5 != 0)
            {
                rings.Writers[0].TryWrite(n, block);
            }
            if (k % 7 != 0)
            {
                rings.Writers[1].TryWrite(n, block);
            }
            // Slot 0 lacks every 5th block (failover to slot 1), slot 1 every 7th (failover back), both every 35th
            // (underrun); whenever both have it, the hashes are compared.
            rings.Reader.TryFillBlock(output);
        }
    }
}
