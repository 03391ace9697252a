using System.Diagnostics;
using Perpetuo.Supervisor.Control;

namespace Perpetuo.Supervisor.Tests.Control;

/// <summary>The spare's invariants, with real processes (`sleep`) standing in for workers.</summary>
public sealed class WarmSpareTests : IDisposable
{
    private const long Settle = 10;
    private readonly List<Process> _started = [];
    private readonly List<int> _pids = [];
    private int _starts;

    private Task<IWorkerProcess> StartSleep() => Task.Run(StartSleepNow);

    private IWorkerProcess StartSleepNow()
    {
        Interlocked.Increment(ref _starts);
        Process p = Process.Start(new ProcessStartInfo("sleep", "30") { UseShellExecute = false })!;
        lock (_started)
        {
            _started.Add(p);
            _pids.Add(p.Id);
        }
        return new OsWorkerProcess(p);
    }

    private static IWorkerProcess TakeWhenStarted(WarmSpare spare)
    {
        IWorkerProcess? p = null;
        Assert.True(SpinWait.SpinUntil(() => (p = spare.Take()) != null, TimeSpan.FromSeconds(10)), "the spare never started");
        return p!;
    }

    [Fact]
    public void NoSpareStartsUntilThePairHasPlayedWholeForTheSettleTimeAndThenExactlyOne()
    {
        var spare = new WarmSpare(StartSleep, Settle);
        for (long played = 0; played < 100; played++)
        {
            spare.Replenish(pairWhole: false, played); // a start or a recovery under way: never
        }
        Assert.False(spare.Pending);
        for (long played = 100; played < 110; played++)
        {
            spare.Replenish(pairWhole: true, played);
            Assert.False(spare.Pending);
        }
        for (long played = 110; played < 200; played++)
        {
            spare.Replenish(pairWhole: true, played);
            Assert.True(spare.Pending);
        }
        using IWorkerProcess p = TakeWhenStarted(spare);
        Assert.Equal(1, _starts);
        Assert.False(p.HasExited);
    }

    [Fact]
    public void APairThatBreaksBeforeTheSettleTimeStartsCountingAgainWhenWhole()
    {
        var spare = new WarmSpare(StartSleep, Settle);
        for (long played = 0; played < 8; played++)
        {
            spare.Replenish(pairWhole: true, played);
        }
        spare.Replenish(pairWhole: false, 8);
        for (long played = 9; played < 19; played++)
        {
            spare.Replenish(pairWhole: true, played);
            Assert.False(spare.Pending); // 10 blocks whole again are needed, from block 9
        }
        spare.Replenish(pairWhole: true, 19);
        Assert.True(spare.Pending);
        TakeWhenStarted(spare).Dispose();
    }

    [Fact]
    public void TakeHandsOverTheLivingSpareOnceAndADeadOneIsNeverHandedOver()
    {
        var spare = new WarmSpare(StartSleep, 0);
        spare.Replenish(pairWhole: true, 0);
        using IWorkerProcess p = TakeWhenStarted(spare);
        Assert.Null(spare.Take());
        Assert.False(spare.Pending);

        spare.Replenish(pairWhole: true, 1);
        Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref _starts) == 2 && _started.Count == 2, TimeSpan.FromSeconds(10)));
        Process second = _started[1];
        second.Kill();
        second.WaitForExit();
        // It died waiting: never handed over, but dropped (Take returns null while it is starting too, without dropping it).
        Assert.True(SpinWait.SpinUntil(() => spare.Take() == null && !spare.Pending, TimeSpan.FromSeconds(10)));
        spare.Replenish(pairWhole: true, 2);
        Assert.True(spare.Pending);
        TakeWhenStarted(spare).Dispose();
        Assert.Equal(3, _starts);
    }

    [Fact]
    public void AStartThatFailsIsTriedAgainAfterAnotherSettleTimeNotEveryTick()
    {
        int attempts = 0;
        IWorkerProcess Fail()
        {
            Interlocked.Increment(ref attempts);
            throw new InvalidOperationException("no executable");
        }
        var spare = new WarmSpare(() => Task.Run(Fail), Settle);
        spare.Replenish(pairWhole: true, 0);
        spare.Replenish(pairWhole: true, 10);
        Assert.True(spare.Pending);
        // Ticks at block 11 until the failure is seen: then it is dropped, and the next try waits until block 21.
        Assert.True(SpinWait.SpinUntil(() => { spare.Replenish(pairWhole: true, 11); return !spare.Pending; }, TimeSpan.FromSeconds(10)));
        for (long played = 11; played < 21; played++)
        {
            spare.Replenish(pairWhole: true, played);
            Assert.False(spare.Pending);
        }
        Assert.Equal(1, Volatile.Read(ref attempts));
        spare.Replenish(pairWhole: true, 21);
        Assert.True(spare.Pending);
        Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref attempts) == 2, TimeSpan.FromSeconds(10)));
        spare.Kill(); // a failed start leaves nothing to kill, and killing it does not throw
        Assert.False(spare.Pending);
    }

    [Fact]
    public void KillLeavesNoSpareProcessEvenOneStillStarting()
    {
        var spare = new WarmSpare(() => Task.Run(() => { Thread.Sleep(300); return StartSleepNow(); }), 0);
        spare.Replenish(pairWhole: true, 0);
        spare.Kill(); // waits for the start, then kills what it started
        Assert.False(spare.Pending);
        Assert.Single(_started);
        Assert.False(Directory.Exists($"/proc/{_pids[0]}"), "the spare still runs (or was not reaped)");
        Assert.Null(spare.Take());
    }

    public void Dispose()
    {
        foreach (int pid in _pids)
        {
            try
            {
                using Process p = Process.GetProcessById(pid);
                p.Kill();
                p.WaitForExit();
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                // already gone (killed by the test, or by the spare's Kill)
            }
        }
    }
}
