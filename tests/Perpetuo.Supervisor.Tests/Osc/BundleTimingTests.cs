using System.Diagnostics;
using Perpetuo.Control.Osc;
using Perpetuo.Supervisor.Osc;

namespace Perpetuo.Supervisor.Tests.Osc;

public class BundleTimingTests
{
    private static readonly OscTimeReference Reference = new(OscTimeTag.FromParts(3_900_000_000, 0), 1_000_000);

    private static (long Block, int Frame) MapSecondsAhead(double seconds) =>
        BundleTiming.Map(Reference.TimeTag.Add(TimeSpan.FromSeconds(seconds)), Reference, Reference.StopwatchTimestamp,
                         nextBlock: 500, sampleRate: 48000, blockFrames: 256);

    [Fact]
    public void ImmediateMeansAsSoonAsPossible() =>
        Assert.Equal((-1, 0), BundleTiming.Map(OscTimeTag.Immediate, Reference, 0, 500, 48000, 256));

    [Fact]
    public void ATagOneSecondAheadLandsRateFramesAfterTheNextBlock()
    {
        // 48000 frames = 187 blocks of 256 + 128 frames.
        Assert.Equal((687, 128), MapSecondsAhead(1.0));
    }

    [Fact]
    public void ATagExactlyNowIsTheStartOfTheNextBlock() => Assert.Equal((500, 0), MapSecondsAhead(0));

    [Fact]
    public void FractionsOfAFrameRoundUpSoTheEventIsNeverEarly()
    {
        (long block, int frame) = MapSecondsAhead(1.5 / 48000);
        Assert.Equal((500, 2), (block, frame));
    }

    [Fact]
    public void APastTagMapsToAPastBlockButNeverBelowZero()
    {
        Assert.Equal(499, MapSecondsAhead(-256.0 / 48000).Block); // the frame of a late block is not used
        Assert.Equal((0, 0), MapSecondsAhead(-3600));
    }

    [Fact]
    public void ATagUpToADayAheadIsHonouredAndOneBeyondIsRefusedNotPlayedEarly()
    {
        Assert.Equal(500 + (86_400L * 48000 / 256), MapSecondsAhead(86_400).Block);
        Assert.False(BundleTiming.TryMap(Reference.TimeTag.Add(TimeSpan.FromSeconds(86_401)), Reference, Reference.StopwatchTimestamp,
                                         500, 48000, 256, out _, out _));
    }

    [Fact]
    public void TheReferenceMapsWallClockToStopwatchTicks()
    {
        OscTimeReference now = OscTimeReference.CaptureNow();
        OscTimeTag inTwoSeconds = now.TimeTag.Add(TimeSpan.FromSeconds(2));
        long due = now.ToStopwatchTimestamp(inTwoSeconds);
        Assert.InRange((due - now.StopwatchTimestamp) / (double)Stopwatch.Frequency, 1.999, 2.001);
    }
}
