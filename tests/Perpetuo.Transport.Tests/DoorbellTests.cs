using System.Diagnostics;

namespace Perpetuo.Transport.Tests;

/// <summary>
/// The region's doorbell: a worker waiting on it is woken by the callback's release and by a raised render limit,
/// a ring between arming and sleeping is never lost, and the lead bounds how far past the output a worker renders.
/// </summary>
public sealed class DoorbellTests
{
    private static readonly long Long = 30_000_000_000; // 30 s: a waiter that returns was woken, not timed out

    private static Thread Sleeper(RegionDoorbell bell, int armed, Action done)
    {
        var t = new Thread(() =>
        {
            bell.Wait(armed, Long);
            done();
        }) { IsBackground = true };
        t.Start();
        return t;
    }

    [Fact]
    public void AWorkerAsleepIsWokenByTheCallbackReleasingABlock()
    {
        using var t = new TestRegion(capacity: 4);
        var bell = new RegionDoorbell(t.Region);
        var reader = new AudioRingReader(t.Region);
        bool woken = false;
        int armed = bell.Arm();
        Thread sleeper = Sleeper(bell, armed, () => Volatile.Write(ref woken, true));
        Thread.Sleep(100); // let it go to sleep (if it has not yet, the word has moved and it returns at once: the same outcome)
        Assert.False(Volatile.Read(ref woken));

        reader.Release(1);

        Assert.True(sleeper.Join(TimeSpan.FromSeconds(10)), "the release did not wake the sleeping worker");
        bell.Disarm();
    }

    [Fact]
    public void AWorkerAsleepIsWokenByARaisedRenderLimit()
    {
        using var t = new TestRegion(capacity: 4);
        var bell = new RegionDoorbell(t.Region);
        int armed = bell.Arm();
        Thread sleeper = Sleeper(bell, armed, () => { });

        new SupervisorLink(t.Region).SetRenderLimit(5);

        Assert.True(sleeper.Join(TimeSpan.FromSeconds(10)), "raising the limit did not wake the sleeping worker");
    }

    [Fact]
    public void ARingBetweenArmingAndSleepingIsNotLost()
    {
        using var t = new TestRegion(capacity: 4);
        var bell = new RegionDoorbell(t.Region);
        int armed = bell.Arm();
        bell.Ring(); // after the worker looked for work, before it slept

        var clock = Stopwatch.StartNew();
        bell.Wait(armed, Long); // the word moved: returns at once instead of sleeping through the change

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"slept {clock.Elapsed} through a ring");
    }

    [Fact]
    public void WithoutARingTheWaitEndsAtItsTimeout()
    {
        using var t = new TestRegion(capacity: 4);
        var bell = new RegionDoorbell(t.Region);
        var clock = Stopwatch.StartNew();

        bell.Wait(bell.Arm(), 50_000_000);

        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(40), $"woke after {clock.Elapsed.TotalMilliseconds} ms with nothing rung");
        bell.Disarm();
    }

    [Fact]
    public void TheEffectiveLimitIsTheRenderLimitOrTheLeadPastTheReadPositionWhicheverIsFirst()
    {
        using var t = new TestRegion(capacity: 4);
        var supervisor = new SupervisorLink(t.Region);
        var worker = new WorkerLink(t.Region);
        var reader = new AudioRingReader(t.Region);

        supervisor.ResetForNewWorker(0, renderLead: 2);
        supervisor.SetRenderLimit(10);
        Assert.Equal(2, worker.EffectiveLimit); // the output has not started: the lead binds
        reader.Release(5);
        Assert.Equal(7, worker.EffectiveLimit);
        reader.Release(9);
        Assert.Equal(10, worker.EffectiveLimit); // a command at block 10 is not in the ring yet: the limit binds

        supervisor.ResetForNewWorker(0); // no lead: the render limit alone (tests that drive it by hand)
        Assert.Equal(10, worker.EffectiveLimit);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-3L)]
    [InlineData(long.MaxValue)]
    public void AScribbledLeadBindsNothingBeyondTheRenderLimit(long lead)
    {
        using var t = new TestRegion(capacity: 4);
        var supervisor = new SupervisorLink(t.Region);
        supervisor.ResetForNewWorker(0, renderLead: 2);
        supervisor.SetRenderLimit(10);
        t.Region.Header.RenderLead = lead; // a dead worker wrote it; the next reset rewrites it

        Assert.Equal(10, new WorkerLink(t.Region).EffectiveLimit);
        supervisor.ResetForNewWorker(0, renderLead: 2);
        Assert.Equal(2, new WorkerLink(t.Region).EffectiveLimit);
    }
}
