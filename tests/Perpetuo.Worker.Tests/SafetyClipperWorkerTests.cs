using Perpetuo.Dsp;
using Perpetuo.Protocol;
using Perpetuo.Transport;

namespace Perpetuo.Worker.Tests;

/// <summary>The worker's output safety stage: on unless it is told otherwise, and reported in its header.</summary>
public sealed class SafetyClipperWorkerTests
{
    private const int Blocks = 100;

    /// <summary>Drives the default patch's gain to 4 (peaks past 1) and returns the loudest published sample.</summary>
    private static float PlayHot(WorkerFixture w)
    {
        Assert.True(w.Commands.TryWrite(CommandRecord.Create((int)CommandKind.SetParam, applyBlock: 0, frameOffset: 0,
                                                             id: "gain", name: "gain", value: 4)));
        var block = new float[WorkerFixture.Frames * WorkerFixture.Channels];
        float peak = 0;
        for (int n = 0; n < Blocks; n++)
        {
            w.StepAndConsume(block);
            peak = MathF.Max(peak, block.Max(MathF.Abs));
        }
        return peak;
    }

    [Fact]
    public void AHotPatchIsPublishedWithinTheCeilingAndTheClippedBlocksAreInTheHeader()
    {
        using var w = new WorkerFixture();

        float peak = PlayHot(w);

        Assert.InRange(peak, SafetyClipper.Threshold, SafetyClipper.Ceiling);
        Assert.InRange(w.Link.ClippedBlocks, 1, Blocks);
    }

    [Fact]
    public void AWorkerToldToRunWithoutTheStagePublishesTheRawOutput()
    {
        using var w = new WorkerFixture(safetyClipper: false);

        float peak = PlayHot(w);

        Assert.True(peak > 1f, $"peak {peak}");
        Assert.Equal(0, w.Link.ClippedBlocks);
    }

    [Fact]
    public void ANewWorkerStartsWithNoClippedBlocks()
    {
        using var w = new WorkerFixture();
        PlayHot(w);

        w.Link.ResetForNewWorker(Blocks);

        Assert.Equal(0, w.Link.ClippedBlocks);
    }
}
