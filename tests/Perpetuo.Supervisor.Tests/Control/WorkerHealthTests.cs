using System.Diagnostics;
using Perpetuo.Supervisor.Control;
using Verdict = Perpetuo.Supervisor.Control.WorkerHealth.Verdict;

namespace Perpetuo.Supervisor.Tests.Control;

public sealed class WorkerHealthTests
{
    private static readonly long Ms = Stopwatch.Frequency / 1000;
    private static readonly long Hang = 11 * Ms; // two 256-frame blocks at 48 kHz

    private static WorkerHealth Started()
    {
        var h = new WorkerHealth();
        h.Attached(0, misses: 0);
        return h;
    }

    private static Verdict At(WorkerHealth h, long ms, long beat, bool hasWork = true, bool peer = true, long misses = 0) =>
        h.Judge(ms * Ms, beat, hasWork, misses, readable: true, peerHealthy: peer, Hang, slowMissLimit: 8);

    [Fact]
    public void ASilentWorkerWithWorkIsHungOnceItsPeerKeptBeatingPastTheHangTime()
    {
        WorkerHealth h = Started();
        Assert.Equal(Verdict.Healthy, At(h, 1, beat: 5));
        Assert.Equal(Verdict.Healthy, At(h, 12, beat: 5)); // 11 ms: not past the limit
        Assert.Equal(Verdict.Hung, At(h, 13, beat: 5));
        Assert.Equal(12 * Ms, h.SilentFor);
    }

    [Fact]
    public void AWorkerWaitingAtItsRenderLimitIsIdleNotHung()
    {
        WorkerHealth h = Started();
        At(h, 1, beat: 5);
        Assert.Equal(Verdict.Healthy, At(h, 500, beat: 5, hasWork: false));
        Assert.Equal(Verdict.Healthy, At(h, 510, beat: 5)); // work arrived 10 ms ago
    }

    [Fact]
    public void TheOnlyWorkerThatCanPlayGetsTheSoleHangTimeout()
    {
        WorkerHealth h = Started();
        At(h, 1, beat: 5, peer: false);
        long sole = WorkerHealth.SoleHangTimeout / Ms;
        Assert.Equal(Verdict.Healthy, At(h, 1 + sole, beat: 5, peer: false));
        Assert.Equal(Verdict.Hung, At(h, 2 + sole, beat: 5, peer: false));
    }

    [Fact]
    public void AWorkerThatNeverBeatsIsGivenTheStartupTimeout()
    {
        WorkerHealth h = Started();
        long startup = WorkerHealth.StartupTimeout / Ms;
        Assert.Equal(Verdict.Healthy, At(h, startup, beat: 0));
        Assert.Equal(Verdict.NeverStarted, At(h, startup + 1, beat: 0));
    }

    [Fact]
    public void MissesPastTheLimitWithinTheWindowMakeAReadableWorkerSlowOnlyBesideAHealthyPeer()
    {
        WorkerHealth h = Started();
        Assert.Equal(Verdict.Healthy, At(h, 10, beat: 1, misses: 8));
        Assert.Equal(Verdict.Healthy, At(h, 20, beat: 2, misses: 9, peer: false));
        Assert.Equal(Verdict.Slow, At(h, 30, beat: 3, misses: 9));
        Assert.Equal(9, h.RecentMisses);
    }

    [Fact]
    public void MissesFromAnEarlierWindowDoNotCount()
    {
        WorkerHealth h = Started();
        At(h, 10, beat: 1, misses: 8);
        long window = WorkerHealth.MissWindow / Ms;
        Assert.Equal(Verdict.Healthy, At(h, window + 20, beat: 2, misses: 8)); // a new window starts at 8
        Assert.Equal(Verdict.Healthy, At(h, window + 30, beat: 3, misses: 16));
        Assert.Equal(Verdict.Slow, At(h, window + 40, beat: 4, misses: 17));
    }

    [Theory]
    [InlineData(32, 30.0)]     // two blocks would be 1.3 ms: the floor
    [InlineData(64, 30.0)]     // 2.7 ms: the floor
    [InlineData(256, 30.0)]    // 10.7 ms: the floor
    [InlineData(1024, 42.667)] // two blocks, above the floor
    public void TheHangTimeoutIsTwoBlocksButNeverShorterThanThirtyMilliseconds(int frames, double expectedMs)
    {
        double ms = WorkerHealth.HangTicks(2, frames / 48000.0) * 1000.0 / Stopwatch.Frequency;
        Assert.Equal(expectedMs, ms, 2);
    }

    [Theory]
    [InlineData(64, 32)]   // 42 ms of 1.33 ms blocks
    [InlineData(128, 16)]
    [InlineData(256, 8)]   // the default: unchanged
    [InlineData(1024, 8)]  // never fewer than the configured blocks
    public void TheSlownessLimitIsTheSameStallAtEveryBlockSize(int frames, int expected) =>
        Assert.Equal(expected, WorkerHealth.SlowMissLimit(8, frames / 48000.0));
}
