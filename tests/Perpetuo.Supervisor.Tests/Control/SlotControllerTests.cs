using System.Diagnostics;
using Perpetuo.Supervisor.Callback;
using Perpetuo.Supervisor.Control;
using Perpetuo.Transport;

namespace Perpetuo.Supervisor.Tests.Control;

/// <summary>
/// A slot's life cycle over a real region, `sleep` standing in for its worker: attached only when starting, heard
/// only once verified, off for the callback from the moment it is being killed, holding no process once dead.
/// </summary>
public sealed class SlotControllerTests : IDisposable
{
    private readonly SlotController _slot = new(0, SharedRegion.Create(new RegionLayout(64, 2, 48000, 8), 0), new RestartPolicy(), 2);
    private readonly List<int> _started = [];

    public void Dispose()
    {
        _slot.Dispose();
        foreach (int pid in _started)
        {
            try
            {
                using Process p = Process.GetProcessById(pid); // the slot may have released its own Process object
                p.Kill();
                p.WaitForExit(5000);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                // Gone already.
            }
        }
    }

    private OsWorkerProcess Sleep()
    {
        OsWorkerProcess p = TwoSlots.StartSleep();
        _started.Add(p.Pid);
        return p;
    }

    [Fact]
    public void ANewSlotIsDeadOffAndHoldsNoProcess()
    {
        Assert.Equal(SlotPhase.Dead, _slot.Phase);
        Assert.False(_slot.HasWorker);
        Assert.Null(_slot.Worker);
        Assert.Equal(SlotMode.Off, _slot.Channel.Mode);
        Assert.Equal(SlotRole.Dead, _slot.Role(activeSlot: 0));
    }

    [Fact]
    public void AnAttachedWorkerIsANewGenerationFromItsStartBlockVerifiedBeforeItIsHeard()
    {
        IWorkerProcess p = Sleep();
        int generation = _slot.Channel.Generation;
        _slot.Launch(40, Task.FromResult(p), fromSpare: true);
        Assert.Equal((SlotPhase.Spawning, SlotRole.Starting, true), (_slot.Phase, _slot.Role(0), _slot.FromSpare));
        Assert.False(_slot.HasWorker);

        _slot.Attach(p, Stopwatch.GetTimestamp());

        Assert.True(_slot.HasWorker);
        Assert.Equal((SlotPhase.Running, p.Pid, 1L), (_slot.Phase, _slot.Pid, _slot.Restarts));
        Assert.Equal(SlotMode.VerifyOnly, _slot.Channel.Mode);
        Assert.Equal(40, _slot.Channel.FirstSeq);
        Assert.Equal(generation + 1, _slot.Channel.Generation);
        Assert.Null(_slot.Launching);
    }

    [Fact]
    public void AWorkerAttachesOnlyToAStartingSlot()
    {
        IWorkerProcess p = Sleep();
        Assert.Throws<InvalidOperationException>(() => _slot.Attach(p, 0)); // dead
        _slot.BackOff(until: 100);
        Assert.Throws<InvalidOperationException>(() => _slot.Attach(p, 0));
        Assert.Equal((SlotPhase.Backoff, 100L), (_slot.Phase, _slot.BackoffUntil));

        _slot.Launch(0, Task.FromResult(p), fromSpare: false);
        _slot.Attach(p, 0);
        Assert.Throws<InvalidOperationException>(() => _slot.Attach(Sleep(), 0)); // running: never two processes
        Assert.Equal(p.Pid, _slot.Pid);
    }

    [Fact]
    public void ASlotBeingKilledIsOffAtOnceAndADeadOneHoldsNoProcess()
    {
        IWorkerProcess p = Sleep();
        _slot.Launch(0, Task.FromResult(p), fromSpare: false);
        _slot.Attach(p, 0);
        _slot.Channel.Mode = SlotMode.Readable; // verified, heard

        _slot.BeginDying(KillReason.Hung);
        Assert.Equal((SlotPhase.Dying, KillReason.Hung, SlotMode.Off), (_slot.Phase, _slot.DyingReason, _slot.Channel.Mode));
        Assert.False(_slot.HasWorker);

        _slot.Detach(offAtSeq: 77);
        Assert.Equal((SlotPhase.Dead, 77L, SlotMode.Off), (_slot.Phase, _slot.OffAtSeq, _slot.Channel.Mode));
        Assert.Null(_slot.Worker);
    }

    [Fact]
    public void AResyncWaitsForItsAnswerAndARetryStartsTheRestartAgain()
    {
        var asked = new SnapshotRequest(1, 40, 1000);
        _slot.AwaitResync(asked, survivor: 1);
        Assert.Equal((SlotPhase.AwaitSnapshot, asked, 1, SlotRole.Resyncing), (_slot.Phase, _slot.Resync, _slot.SurvivorIndex, _slot.Role(0)));

        _slot.RetryRestart();
        Assert.Equal(SlotPhase.Dead, _slot.Phase);
    }

    [Fact]
    public void AtShutdownALaunchUnderWayIsTakenOverAndAFailedOneIsNoProcessNotAnException()
    {
        var failed = new TaskCompletionSource<IWorkerProcess>();
        failed.SetException(new InvalidOperationException("exec failed"));
        _slot.Launch(0, failed.Task, fromSpare: false);
        _slot.TakeOverLaunch(TimeSpan.FromSeconds(1));
        Assert.Null(_slot.Worker);

        IWorkerProcess p = Sleep();
        _slot.Launch(0, Task.Run(() => { Thread.Sleep(100); return p; }), fromSpare: false);
        _slot.TakeOverLaunch(TimeSpan.FromSeconds(10));
        Assert.Same(p, _slot.Worker);
        Assert.Equal(p.Pid, _slot.Pid);
    }
}
