using System.Text;
using Perpetuo.Protocol;
using Perpetuo.Supervisor.Control;
using Perpetuo.Transport;

namespace Perpetuo.Supervisor.Tests.Simulation;

/// <summary>
/// A worker process of the simulation: it maps its slot's region and does what WorkerLoop does there — reads its
/// start block and snapshot, drains the commands due, answers snapshot requests, says which module it is in, renders
/// (<see cref="FakeDsp"/>), publishes and beats — when the simulation steps it, in simulated time. It can be killed
/// (gone a few milliseconds later, as a real one is), crash or hang in the armed "fx" module in every replica at
/// once, and be told to hang, stall or start slowly.
/// </summary>
internal sealed class SimWorker : IWorkerProcess
{
    private static int s_nextPid = 100_000;
    private static readonly byte[] FxId = Encoding.UTF8.GetBytes(FakeDsp.Fx);

    private readonly SimClock _clock;
    private readonly float[] _block;
    private SharedRegion? _region;
    private WorkerLink? _link;
    private AudioRingWriter? _ring;
    private CommandRingReader? _commands;
    private FakeDsp? _dsp;
    private long _seq;
    private long _readyAt;
    private long _exitAt = -1;
    private long _stallUntil;
    private bool _hung;
    private bool _corruptNextSnapshot;
    private bool _diverged;
    private long _slowInFx; // the next block spends this long inside "fx" (a slow module, not a stuck one)

    public SimWorker(SimClock clock, int blockSamples, long startupTicks)
    {
        _clock = clock;
        _block = new float[blockSamples];
        _readyAt = clock.Now + startupTicks;
        Pid = Interlocked.Increment(ref s_nextPid);
    }

    public int Pid { get; }

    /// <summary>Blocks it may render in one step (a worker catching up renders many blocks per millisecond).</summary>
    public int BlocksPerStep { get; set; } = 16;

    public bool HasExited => _exitAt >= 0 && _clock.Now >= _exitAt;

    public int ExitCode { get; private set; }

    public bool HasEnded => _exitAt >= 0;

    /// <summary>It died or was killed (it renders nothing more).</summary>
    public bool Dead => _exitAt >= 0;

    public bool Attached => _region != null;

    /// <summary>The block it renders next.</summary>
    public long NextSeq => _seq;

    public void Kill() => Die(137, SimClock.Ms(2)); // SIGKILL: the kernel tears the address space down first

    public bool WaitForExit(TimeSpan timeout)
    {
        if (_exitAt < 0)
        {
            Die(137, 0);
        }
        _exitAt = Math.Min(_exitAt, _clock.Now);
        return true;
    }

    public void Dispose() => _region?.Dispose();

    /// <summary>Attaches to the region (a spare told its slot, or a worker at start), ready after its start-up time.</summary>
    public void AttachTo(string regionPath, long startupTicks)
    {
        _region = SharedRegion.Open(regionPath);
        _link = new WorkerLink(_region);
        _ring = new AudioRingWriter(_region);
        _commands = new CommandRingReader(_region);
        _readyAt = Math.Max(_readyAt, _clock.Now + startupTicks);
    }

    /// <summary>Its next block takes <paramref name="ticks"/> inside "fx" (its region says so meanwhile), then renders normally.</summary>
    public void SlowInFx(long ticks) => _slowInFx = ticks;

    /// <summary>From its next block on it renders something else than it should, finite and plausible (a silent fault).</summary>
    public void Diverge() => _diverged = true;

    /// <summary>Its next snapshot carries a wrong state (a bit flipped in memory the checksum cannot see).</summary>
    public void CorruptNextSnapshot() => _corruptNextSnapshot = true;

    /// <summary>The simulation has no CPU to share: a priority changes nothing, but it is counted.</summary>
    public void SetRealtime(bool realtime) => PriorityChanges++;

    public int PriorityChanges { get; private set; }

    /// <summary>Stops rendering for good (SIGSTOP, or a deadlock): alive until killed.</summary>
    public void Hang() => _hung = true;

    /// <summary>Renders nothing for <paramref name="ticks"/> (a preempted vCPU, a page fault storm).</summary>
    public void Stall(long ticks) => _stallUntil = Math.Max(_stallUntil, _clock.Now + ticks);

    /// <summary>Killed from outside while inside "fx" (its region says so): one failure in a module, proof of nothing.</summary>
    public void KillInModule()
    {
        _link?.EnterModule(_seq, 1, FxId);
        Kill();
    }

    /// <summary>Dies by itself now (a crash of its own, not the engine's kill).</summary>
    public void Crash() => Die(139, SimClock.Ms(1));

    /// <summary>One step of simulated time: renders what its limits allow, as WorkerLoop would.</summary>
    public void Step()
    {
        if (_region == null || Dead || _hung || _clock.Now < _readyAt || _clock.Now < _stallUntil)
        {
            return;
        }
        if (_dsp == null && !Begin())
        {
            return;
        }
        for (int n = 0; n < BlocksPerStep && _seq < _link!.EffectiveLimit && _ring!.CanWrite(_seq); n++)
        {
            if (!RenderOne())
            {
                return;
            }
        }
    }

    private bool Begin()
    {
        _seq = _link!.StartSeq;
        byte[]? snapshot = _link.ReadSnapshot(out long at);
        if (snapshot != null && at == _seq)
        {
            if (snapshot.Length != FakeDsp.SnapshotSize)
            {
                Die(WorkerExitCode.SnapshotRejected, 0);
                return false;
            }
            _dsp = FakeDsp.Load(snapshot);
        }
        else
        {
            _dsp = new FakeDsp();
        }
        _link.PublishPid(Pid);
        return true;
    }

    /// <summary>One block; false when it died or hung in it.</summary>
    private bool RenderOne()
    {
        if (_commands!.Corrupt)
        {
            Die(WorkerExitCode.CommandRingCorrupt, 0);
            return false;
        }
        _link!.BeginBlock(_seq);
        var due = new List<CommandRecord>();
        while (_commands.TryPeek(out CommandRecord r) && r.ApplyBlock <= _seq)
        {
            due.Add(r);
            _commands.Advance();
        }
        foreach (CommandRecord r in due.Where(r => r.Kind == (int)CommandKind.Snapshot))
        {
            if (_dsp!.HasPlugin)
            {
                _link.RefuseSnapshot(_seq);
            }
            else
            {
                byte[] state = _dsp.Save();
                if (_corruptNextSnapshot)
                {
                    _corruptNextSnapshot = false;
                    state[0] ^= 1; // a well-formed snapshot of the wrong state
                }
                _link.TryPublishSnapshot(_seq, state);
            }
        }
        foreach (CommandRecord r in due.Where(r => r.Kind < (int)CommandKind.Snapshot))
        {
            bool cancelled = r.Kind == (int)CommandKind.Quarantine
                             && due.Any(c => c.Kind == (int)CommandKind.CancelQuarantine && c.ApplyBlock == r.ApplyBlock && c.IdString == r.IdString);
            if (!cancelled)
            {
                _dsp!.Apply(r); // a quarantine voided in the same drain (a deadline switch not needed after all) is not applied
            }
        }
        switch (_dsp!.Fault)
        {
            case FakeDsp.FaultMode.Crash:
                _link.EnterModule(_seq, 1, FxId);
                Crash();
                return false;
            case FakeDsp.FaultMode.Hang:
                _link.EnterModule(_seq, 1, FxId);
                Hang();
                return false;
        }
        if (_slowInFx > 0)
        {
            _link.EnterModule(_seq, 1, FxId);
            Stall(_slowInFx);
            _slowInFx = 0;
            return false; // the block is finished when the stall is over (the next step renders it)
        }
        _link.LeaveModule();
        _dsp.Render(_seq, _block);
        if (_diverged)
        {
            _block[0] += 1e-3f;
        }
        _ring!.TryWrite(_seq, _block);
        _link.Beat();
        _seq++;
        return true;
    }

    private void Die(int code, long after)
    {
        if (_exitAt >= 0)
        {
            return;
        }
        ExitCode = code;
        _exitAt = _clock.Now + after;
    }
}
