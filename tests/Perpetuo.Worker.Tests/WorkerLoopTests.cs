using Perpetuo.Dsp;
using Perpetuo.Transport;
using Perpetuo.Protocol;

namespace Perpetuo.Worker.Tests;

public sealed class WorkerLoopTests
{
    /// <summary>A patch that plays its live input through unchanged.</summary>
    private static readonly Perpetuo.Control.Patches.PatchSpec Through = new([new Perpetuo.Control.Patches.ModuleSpec("input", "in", [])]);

    [Fact]
    public void TheWorkerPublishesExactlyWhatAnInProcessHostRenders()
    {
        using var w = new WorkerFixture();
        ModuleHost reference = DefaultPatch.CreateHost(WorkerFixture.Rate, WorkerFixture.Channels, WorkerFixture.Frames);
        var expected = new float[WorkerFixture.Frames * WorkerFixture.Channels];
        var actual = new float[expected.Length];
        for (int n = 0; n < 200; n++)
        {
            reference.ProcessChain(expected);
            w.StepAndConsume(actual);
            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public void WithALiveInputTheWorkerWaitsForEachBlocksInputAndRendersBlockNFromInputN()
    {
        using var w = new WorkerFixture(safetyClipper: false, patch: Through, liveInput: true);
        var input = new InputRingWriter(w.Region);
        var output = new float[WorkerFixture.Frames * WorkerFixture.Channels];
        Assert.False(w.Loop.TryStep()); // block 0's input has not been captured: no work, however high the limit
        for (long n = 0; n < 10; n++)
        {
            float[] block = Enumerable.Range(0, output.Length).Select(i => ((n * 1000) + i) / 1e6f).ToArray();
            Assert.True(input.TryWrite(n, block));
            w.StepAndConsume(output);
            Assert.Equal(block, output);
            Assert.False(w.Loop.TryStep()); // and not block n + 1 before its input
        }
    }

    [Fact]
    public void AWorkerAWholeInputRingBehindStopsSayingItsInputIsLost()
    {
        using var w = new WorkerFixture(safetyClipper: false, patch: Through, liveInput: true);
        var input = new InputRingWriter(w.Region);
        var block = new float[WorkerFixture.Frames * WorkerFixture.Channels];
        for (long n = 0; n <= w.Region.Layout.InputCapacity; n++)
        {
            input.TryWrite(n, block); // block 0's slot now holds block `capacity`
        }
        Assert.Equal(WorkerExitCode.InputLost, w.Loop.Run());
        Assert.Equal(0, w.Link.WritePosition); // nothing rendered from input it did not have
    }

    [Fact]
    public void TheWorkerRendersNothingAtOrBeyondTheRenderLimit()
    {
        using var w = new WorkerFixture();
        w.Link.SetRenderLimit(0);
        w.Link.ResetForNewWorker(0); // start over with limit 0 (reset leaves the limit alone)
        Assert.False(w.Loop.TryStep());
        w.Link.SetRenderLimit(2);
        Assert.True(w.Loop.TryStep());
        Assert.True(w.Loop.TryStep());
        Assert.False(w.Loop.TryStep());
        Assert.Equal(2, w.Link.WritePosition);
    }

    [Fact]
    public void ACommandTakesEffectAtItsStampedBlockAndFrameAndNotBefore()
    {
        using var w = new WorkerFixture();
        var record = CommandRecord.Create((int)CommandKind.SetParam, applyBlock: 10, frameOffset: 100, id: "filter", name: "cutoff", value: 300);
        Assert.True(w.Commands.TryWrite(record));
        ModuleHost reference = DefaultPatch.CreateHost(WorkerFixture.Rate, WorkerFixture.Channels, WorkerFixture.Frames);
        ModuleHost untouched = DefaultPatch.CreateHost(WorkerFixture.Rate, WorkerFixture.Channels, WorkerFixture.Frames);
        var expected = new float[WorkerFixture.Frames * WorkerFixture.Channels];
        var plain = new float[expected.Length];
        var actual = new float[expected.Length];
        bool differed = false;
        for (int n = 0; n < 20; n++)
        {
            if (n == 10)
            {
                reference.QueueCommand(new DspCommand(CommandKind.SetParam, 100, "filter", "cutoff", 300));
            }
            reference.ProcessChain(expected);
            untouched.ProcessChain(plain);
            w.StepAndConsume(actual);
            Assert.Equal(expected, actual);
            if (n < 10)
            {
                Assert.Equal(plain, actual);
            }
            else if (n == 10)
            {
                Assert.Equal(plain.AsSpan(0, 100 * WorkerFixture.Channels).ToArray(), actual.AsSpan(0, 100 * WorkerFixture.Channels).ToArray());
            }
            differed |= !plain.AsSpan().SequenceEqual(actual);
        }
        Assert.True(differed, "the command must change the sound");
    }

    [Fact]
    public void ASnapshotRequestPublishesTheStateAtTheStartOfItsBlockAndAWorkerStartedFromItContinuesIdentically()
    {
        using var w = new WorkerFixture();
        Assert.True(w.Commands.TryWrite(CommandRecord.Create((int)CommandKind.SetParam, 5, 0, "filter", "cutoff", 500)));
        Assert.True(w.Commands.TryWrite(CommandRecord.Create((int)CommandKind.Snapshot, 37, 0)));
        var block = new float[WorkerFixture.Frames * WorkerFixture.Channels];
        var original = new List<float[]>();
        for (int n = 0; n < 60; n++)
        {
            w.StepAndConsume(block);
            if (n >= 37)
            {
                original.Add((float[])block.Clone());
            }
        }
        byte[]? snapshot = w.Link.TryTakeSnapshot(37);
        Assert.NotNull(snapshot);
        ModuleHost resumed = ModuleHost.LoadSnapshot(snapshot, WorkerFixture.Frames);
        foreach (float[] expected in original)
        {
            resumed.ProcessChain(block);
            Assert.Equal(expected, block);
        }
    }

    [Fact]
    public void AWorkerGivenASnapshotThatDoesNotLoadRefusesToStartInsteadOfRenderingFromThePatch()
    {
        using var w = new WorkerFixture();
        Assert.True(w.Commands.TryWrite(CommandRecord.Create((int)CommandKind.Snapshot, 3, 0)));
        var block = new float[WorkerFixture.Frames * WorkerFixture.Channels];
        for (int n = 0; n < 4; n++)
        {
            w.StepAndConsume(block);
        }
        byte[] snapshot = w.Link.TryTakeSnapshot(3) ?? throw new InvalidOperationException("no snapshot at block 3");
        w.Loop.Dispose();
        snapshot[snapshot.Length / 2] ^= 0x40; // one flipped bit: the checksum no longer matches

        w.Link.ResetForNewWorker(3);
        w.Link.PlaceSnapshot(3, snapshot);
        var e = Assert.Throws<SnapshotRejectedException>(() => new WorkerLoop(new WorkerOptions(w.Region.Path, w.PatchPath)));
        Assert.Contains("block 3", e.Message, StringComparison.Ordinal);

        snapshot[snapshot.Length / 2] ^= 0x40;
        w.Link.ResetForNewWorker(3);
        w.Link.PlaceSnapshot(3, snapshot);
        using var intact = new WorkerLoop(new WorkerOptions(w.Region.Path, w.PatchPath));
        Assert.True(intact.StartedFromSnapshot);
        Assert.Equal(3, intact.NextSeq);
    }

    [Fact]
    public void SnapshotsTakenInTheRenderLoopAllocateNothingOnceWarm()
    {
        using var w = new WorkerFixture();
        for (long at = 100; at <= 5_000; at += 100) // a checkpoint every 100 blocks, all queued up front
        {
            Assert.True(w.Commands.TryWrite(CommandRecord.Create((int)CommandKind.Snapshot, at, 0)));
        }
        var block = new float[WorkerFixture.Frames * WorkerFixture.Channels];
        for (int n = 0; n < 500; n++)
        {
            w.StepAndConsume(block); // includes the first snapshots, which grow the reused buffer
        }
        Assert.Equal(0, AllocatedWhileRendering(w, block, 4_600));
        byte[] last = w.Link.TryTakeSnapshot(5_000) ?? throw new InvalidOperationException("no snapshot at block 5000");
        ModuleHost.LoadSnapshot(last, WorkerFixture.Frames).ProcessChain(block); // whole and loadable
    }

    [Fact]
    public void TheRenderLoopAllocatesNothingOverTenThousandBlocksOnceWarm()
    {
        using var w = new WorkerFixture();
        var block = new float[WorkerFixture.Frames * WorkerFixture.Channels];
        for (int n = 0; n < 500; n++)
        {
            w.StepAndConsume(block);
        }
        Assert.Equal(0, AllocatedWhileRendering(w, block, 10_000));
        Assert.Equal(10_500, w.Link.WritePosition);
    }

    /// <summary>Bytes this thread allocated while the worker rendered and the test consumed <paramref name="blocks"/> blocks.</summary>
    private static long AllocatedWhileRendering(WorkerFixture w, float[] block, int blocks)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int n = 0; n < blocks; n++)
        {
            long seq = w.Loop.NextSeq;
            w.Loop.TryStep();
            w.Reader.TryRead(seq, block, out _);
            w.Reader.Release(seq + 1);
        }
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
