using System.Diagnostics;
using Perpetuo.Protocol;
using Perpetuo.Supervisor.Control;
using Perpetuo.Transport;

namespace Perpetuo.Supervisor.Tests.Simulation;

/// <summary>
/// The control thread under test as a whole, in simulated time: the real <see cref="Engine"/> (its slots, regions,
/// command log and scheduler, checkpoints, quarantine, restart policy and warm spare) and the real audio callback
/// (<see cref="Callback.BlockReader"/>) over real shared memory, with workers that are the simulation's own
/// (<see cref="SimWorker"/>) and a schedule of faults drawn from a seed (<see cref="SimSchedule"/>). Everything runs
/// on one thread in a fixed order, so a seed replays exactly (TigerBeetle's VOPR, FoundationDB's simulator).
/// </summary>
/// <remarks>
/// What it records, for the invariants the tests assert: every block the callback played (a hash of it) or the
/// underrun in its place, every command the engine journaled (to recompute what every block must have been), every
/// event, every worker started. The reference is computed at the end, when the journal is complete.
/// </remarks>
internal sealed class Simulation : IDisposable
{
    public const int Frames = 64;
    public const int Rate = 48000;
    public const int Depth = 3;

    /// <summary>
    /// How long past its planned end a run plays on to see the slots whole again: the restart intensity's longest
    /// backoff (30 s) and a slow spawn. A run still broken then has a slot that will never heal.
    /// </summary>
    public const double HealLimitSeconds = 40;

    private static readonly long Step = SimClock.Ms(0.25);
    private readonly Random _random;
    private readonly SimSchedule _schedule;
    private readonly SimClock _clock = new();
    private readonly SimLauncher _launcher;
    private readonly Engine _engine;
    private readonly EventLog _events = new(null);
    private readonly List<CommandRecord> _journaled = [];
    private readonly List<(long Seq, ulong Hash, bool Underrun)> _played = [];
    private readonly float[] _buffer = new float[Frames];
    private readonly double _blockTicks = (double)Frames / Rate * Stopwatch.Frequency;

    /// <param name="seed">Everything random in the run comes from it.</param>
    /// <param name="family">Draws the schedule.</param>
    /// <param name="slots">Worker slots.</param>
    /// <param name="restarts">The restart intensity per slot (a test breaks it on purpose).</param>
    /// <param name="depth">The ring depth (the lead, in blocks).</param>
    public Simulation(int seed, Func<Random, SimSchedule> family, int slots = 3, Func<RestartPolicy>? restarts = null, int depth = Depth)
    {
        Seed = seed;
        _random = new Random(seed);
        _schedule = family(_random);
        _launcher = new SimLauncher(_clock, _random, Frames, _schedule);
        _events.Written += line => Lines.Add(line);
        _engine = new Engine(new EngineOptions
        {
            SampleRate = Rate,
            Channels = 1,
            BlockFrames = Frames,
            RingDepth = depth,
            Slots = slots,
            CheckpointSeconds = 1,
            RestartPolicy = restarts ?? (() => new RestartPolicy()),
            PatchJson = """{"modules":[{"type":"osc","id":"o"}]}""",
            Launch = _launcher,
            Realtime = false,
        }, _events);
        _engine.Journal = r => _journaled.Add(r);
    }

    public int Seed { get; }

    public SimSchedule Schedule => _schedule;

    public List<EventLine> Lines { get; } = [];

    public Engine Engine => _engine;

    public IReadOnlyList<SimWorker> Workers => _launcher.Workers;

    /// <summary>Underruns after the output started (the first blocks are played once the start is over).</summary>
    public long Underruns => _played.Count(p => p.Underrun);

    public long PlayedBlocks => _played.Count;

    public long Accepted { get; private set; }

    /// <summary>Worker processes the engine asked for, spares included.</summary>
    public int Starts => _launcher.Starts;

    /// <summary>Simulated seconds at which the last fault was injected.</summary>
    public double LastFaultAt => _schedule.Faults.Count > 0 ? _schedule.Faults[^1].At : 0;

    /// <summary>True when, at the end, every slot had a verified worker (the pair whole again).</summary>
    public bool Whole { get; private set; }

    /// <summary>The modules armed to fail in every replica, and where; and the blocks a worker was killed inside "fx".</summary>
    public List<long> KilledInModuleAt { get; } = [];

    public bool Armed { get; private set; }

    /// <summary>Runs the whole schedule, then the quiet time after it.</summary>
    public Simulation Run()
    {
        _engine.BeginStart();
        long start = _clock.Now;
        while (!_engine.TryFinishStart(_clock.Now, late: _clock.Now - start > SimClock.Ms(20_000)))
        {
            Advance(SimClock.Ms(1));
        }
        long t0 = _clock.Now;
        long end = t0 + SimClock.Ms(_schedule.Seconds * 1000);
        double nextCallback = t0;
        long nextTick = t0;
        int fault = 0;
        double shift = 0; // a schedule that heals first delays each fault until the slots are whole
        long giveUp = end + SimClock.Ms(HealLimitSeconds * 1000);
        while (_clock.Now < end || fault < _schedule.Faults.Count || (!IsWhole() && _clock.Now < giveUp))
        {
            double seconds = (_clock.Now - t0) / (double)Stopwatch.Frequency;
            while (fault < _schedule.Faults.Count && _schedule.Faults[fault].At + shift <= seconds)
            {
                if (_schedule.HealFirst && !IsWhole())
                {
                    shift = seconds - _schedule.Faults[fault].At + 0.01;
                    break;
                }
                nextTick = Inject(_schedule.Faults[fault++], nextTick);
                if (_schedule.HealFirst && fault == _schedule.Faults.Count)
                {
                    end = Math.Max(end, _clock.Now + SimClock.Ms(SimSchedule.HealSeconds * 1000));
                }
            }
            StepWorkers();
            if (_clock.Now >= nextCallback)
            {
                Play();
                nextCallback += _blockTicks;
            }
            if (_clock.Now >= nextTick)
            {
                if (_random.Next(4) == 0)
                {
                    SubmitParam("o", "freq", _random.Next(100, 1000));
                }
                _engine.Tick(_clock.Now);
                nextTick = _clock.Now + SimClock.Ms(1) + _random.Next(0, (int)SimClock.Ms(0.3));
            }
            _clock.Advance(Step);
            _launcher.CompleteDue();
        }
        Whole = IsWhole();
        return this;
    }

    private bool IsWhole() => Enumerable.Range(0, _engine.SlotCount).All(s => _engine.RoleOf(s) is SlotRole.Active or SlotRole.Standby or SlotRole.Trailing);

    /// <summary>Blocks played that are not what the journal says they must be: (block, what was played, what should have been).</summary>
    public List<long> WrongBlocks()
    {
        var reference = new FakeDsp();
        List<CommandRecord> journal = [.. _journaled.Select((r, i) => (r, i)).OrderBy(x => x.r.ApplyBlock).ThenBy(x => x.i).Select(x => x.r)];
        var expected = new float[Frames];
        var wrong = new List<long>();
        int next = 0;
        bool fadeIn = false;
        long seq = 0;
        foreach ((long played, ulong hash, bool underrun) in _played)
        {
            for (; seq <= played; seq++)
            {
                while (next < journal.Count && journal[next].ApplyBlock <= seq)
                {
                    reference.Apply(journal[next++]);
                }
                reference.Render(seq, expected);
            }
            if (!underrun && !fadeIn && Hash(expected) != hash)
            {
                wrong.Add(played);
            }
            fadeIn = underrun; // the block after an underrun fades in: not the reference's samples
        }
        return wrong;
    }

    public string Summary()
    {
        IEnumerable<string> kinds = Lines.GroupBy(l => l.Kind).Select(g => $"{g.Key}×{g.Count()}");
        return $"seed {Seed}: faults [{string.Join(", ", _schedule.Faults.Select(f => $"{f.Kind}@{f.At:0.00}"))}], " +
               $"{_played.Count} blocks, {Underruns} underruns; events: {string.Join(" ", kinds)}";
    }

    public void Dispose()
    {
        _launcher.FailPending();
        _engine.Dispose();
        foreach (SimWorker w in _launcher.Workers)
        {
            w.Dispose();
        }
        _events.Dispose();
    }

    private void Advance(long ticks)
    {
        long until = _clock.Now + ticks;
        while (_clock.Now < until)
        {
            StepWorkers();
            _clock.Advance(Step);
            _launcher.CompleteDue();
        }
    }

    private void StepWorkers()
    {
        List<SimWorker> workers = _launcher.Workers;
        int first = _random.Next(Math.Max(1, workers.Count));
        for (int i = 0; i < workers.Count; i++)
        {
            workers[(first + i) % workers.Count].Step();
        }
    }

    private void Play()
    {
        long seq = _engine.Reader.NextSeq;
        long underruns = _engine.Reader.Underruns;
        _engine.Reader.TryFillBlock(_buffer);
        _played.Add((seq, Hash(_buffer), _engine.Reader.Underruns != underruns));
    }

    private static ulong Hash(float[] block) => BlockHash.Compute(block);

    private long Inject(SimFault f, long nextTick)
    {
        int active = _engine.Reader.ActiveSlot;
        switch (f.Kind)
        {
            case SimFaultKind.KillActive:
                WorkerOf(active)?.Kill();
                break;
            case SimFaultKind.KillStandby:
                WorkerOf(OtherThan(active))?.Kill();
                break;
            case SimFaultKind.HangActive:
                WorkerOf(active)?.Hang();
                break;
            case SimFaultKind.HangStandby:
                WorkerOf(OtherThan(active))?.Hang();
                break;
            case SimFaultKind.Stall:
                WorkerOf(_random.Next(_engine.SlotCount))?.Stall(SimClock.Ms(f.Milliseconds));
                break;
            case SimFaultKind.KillInModule:
                if (WorkerOf(_random.Next(_engine.SlotCount)) is { } w)
                {
                    KilledInModuleAt.Add(w.NextSeq);
                    w.KillInModule();
                }
                break;
            case SimFaultKind.DivergeStandby:
                WorkerOf(OtherThan(active))?.Diverge();
                break;
            case SimFaultKind.DivergeActive:
                WorkerOf(active)?.Diverge();
                break;
            case SimFaultKind.CorruptSnapshot:
                WorkerOf(active)?.CorruptNextSnapshot();
                break;
            case SimFaultKind.KillAll:
                for (int s = 0; s < _engine.SlotCount; s++)
                {
                    WorkerOf(s)?.Kill();
                }
                break;
            case SimFaultKind.CommandBurst:
                for (int i = 0; i < f.Count; i++)
                {
                    SubmitParam("o", "freq", 100 + i);
                }
                break;
            case SimFaultKind.ArmCrash:
                Armed = true;
                SubmitParam(FakeDsp.Fx, "arm", (int)FakeDsp.FaultMode.Crash);
                break;
            case SimFaultKind.ArmHang:
                Armed = true;
                SubmitParam(FakeDsp.Fx, "arm", (int)FakeDsp.FaultMode.Hang);
                break;
            case SimFaultKind.Restore:
                _engine.TrySubmit([new CommandGroup([CommandRecord.Create((int)CommandKind.Restore, 0, 0, FakeDsp.Fx)])], out _);
                break;
            case SimFaultKind.Plugin:
                SubmitParam(FakeDsp.Fx, "plugin", 1);
                break;
            case SimFaultKind.SlowLeaders:
                for (int s = 0; s < _engine.SlotCount; s++)
                {
                    if (_engine.RoleOf(s) != SlotRole.Trailing)
                    {
                        WorkerOf(s)?.SlowInFx(SimClock.Ms(f.Milliseconds));
                    }
                }
                break;
            case SimFaultKind.BreakSpawns:
                _launcher.Broken = true;
                break;
            case SimFaultKind.ControlStall:
                return nextTick + SimClock.Ms(f.Milliseconds);
        }
        return nextTick;
    }

    private int OtherThan(int slot) => (slot + 1 + _random.Next(Math.Max(1, _engine.SlotCount - 1))) % _engine.SlotCount;

    private SimWorker? WorkerOf(int slot)
    {
        int pid = _engine.WorkerPid(slot);
        return _launcher.Workers.FirstOrDefault(w => w.Pid == pid && !w.Dead);
    }

    private void SubmitParam(string id, string name, float value)
    {
        CommandRecord r = CommandRecord.Create((int)CommandKind.SetParam, 0, 0, id, name, value);
        if (_engine.TrySubmit([new CommandGroup([r])], out _))
        {
            Accepted++;
        }
    }
}
