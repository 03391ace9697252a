using System.Diagnostics;
using System.Diagnostics.Metrics;
using Perpetuo.Supervisor.Callback;
using Perpetuo.Supervisor.Control;

namespace Perpetuo.Supervisor.Telemetry;

/// <summary>
/// The engine's metrics as a <see cref="Meter"/> named <see cref="MeterName"/>: counters and gauges observed from the
/// engine's own counters, and a histogram of the audio callback's duration.
/// </summary>
/// <remarks>
/// Design: nothing here runs on the audio thread. The observable instruments are read by whoever collects them (the
/// metrics server's thread), so they read only values that are published for other threads: the callback's
/// counters (Volatile), and a snapshot of what the control thread owns (roles, pids, restarts, resyncs, command
/// counts), which the control thread refreshes every <see cref="RefreshInterval"/> in <see cref="Poll"/>. The
/// callback stores each callback's duration in <see cref="BlockReader.Timings"/>; <see cref="Poll"/> drains it into
/// the histogram on the control thread. Poll allocates nothing between refreshes and nothing at a refresh.
/// </remarks>
public sealed class EngineMetrics : IControlEndpoint, IDisposable
{
    /// <summary>The meter's name (what a listener or exporter filters on).</summary>
    public const string MeterName = "Perpetuo";

    /// <summary>How often the control thread refreshes the snapshot and drains the callback durations.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>Histogram bucket bounds for the callback duration, in seconds (1 µs to 20 ms).</summary>
    public static readonly IReadOnlyList<double> CallbackBuckets =
        [1e-6, 2e-6, 5e-6, 10e-6, 20e-6, 50e-6, 100e-6, 200e-6, 500e-6, 1e-3, 2e-3, 5e-3, 10e-3, 20e-3];

    private static readonly SlotRole[] Roles = Enum.GetValues<SlotRole>();
    private readonly Meter _meter;
    private readonly Engine _engine;
    private readonly BlockReader _reader;
    private readonly Histogram<double> _callback;
    private readonly SlotSnapshot[] _slots;
    private readonly long _refreshTicks = (long)(RefreshInterval.TotalSeconds * Stopwatch.Frequency);
    private long _nextRefresh;
    private long _restarts;
    private long _resyncs;
    private long _accepted;
    private long _rejected;
    private long _late;
    private long _checkpointBlock = -1;
    private long _commandLogHeld;
    private long _quarantined;
    private long _quarantines;

    public EngineMetrics(Engine engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        _engine = engine;
        _reader = engine.Reader;
        _slots = Enumerable.Range(0, engine.SlotCount).Select(i => new SlotSnapshot(i)).ToArray();
        _meter = new Meter(MeterName);
        Counter("perpetuo.blocks.played", "{block}", "Blocks the audio callback handed to the output.", () => _reader.Blocks);
        Counter("perpetuo.underruns", "{block}", "Blocks neither worker had: faded silence was played.", () => _reader.Underruns);
        Counter("perpetuo.failovers", "{failover}", "Times the callback switched to the other slot.", () => _reader.Failovers);
        Counter("perpetuo.divergences", "{block}", "Blocks whose hash differed between the two slots.", () => _reader.Divergences);
        Counter("perpetuo.restarts", "{restart}", "Worker restarts (all slots).", () => Volatile.Read(ref _restarts));
        Counter("perpetuo.resyncs", "{resync}", "Respawned workers verified by block hashes (resynced events).", () => Volatile.Read(ref _resyncs));
        Counter("perpetuo.commands.accepted", "{command}", "Command records accepted: the lines the journal gets (status commands_accepted).", () => Volatile.Read(ref _accepted));
        Counter("perpetuo.commands.rejected", "{command}", "Requests refused by validation or a limit (status commands_rejected).", () => Volatile.Read(ref _rejected));
        Counter("perpetuo.commands.late", "{command}", "Submissions whose time tag had passed and that applied at once (status late_commands).", () => Volatile.Read(ref _late));
        Counter("perpetuo.gc.collections", "{collection}", "Garbage collections in the audio process since start.", () => _engine.GcCollections);
        Counter("perpetuo.callback.timings.dropped", "{callback}", "Callback durations not recorded (ring full).", () => _reader.Timings.Dropped);
        _meter.CreateObservableGauge("perpetuo.worker.heartbeat.age", HeartbeatAges, "s", "Time since the slot's worker last beat.");
        _meter.CreateObservableGauge("perpetuo.worker.pid", Pids, null, "The slot's worker process id (0: none).");
        _meter.CreateObservableGauge("perpetuo.worker.limiter.blocks", LimiterBlocks, "{block}",
                                     "Blocks the output safety stage clipped in the slot's workers this session, respawns included (status limiter_blocks; a patch too hot).");
        _meter.CreateObservableGauge("perpetuo.worker.role", RoleStates, null, "1 for the slot's current role, 0 for the others.");
        _meter.CreateObservableGauge("perpetuo.checkpoint.block", () => Volatile.Read(ref _checkpointBlock), "{block}",
                                     "Block of the newest checkpoint a worker with no survivor resumes from (-1: none yet).");
        _meter.CreateObservableGauge("perpetuo.modules.quarantined", () => Volatile.Read(ref _quarantined), "{module}",
                                     "Modules bypassed now after a deterministic fault (status quarantined).");
        Counter("perpetuo.quarantines", "{quarantine}", "Modules quarantined since start (module_quarantined events).", () => Volatile.Read(ref _quarantines));
        _meter.CreateObservableGauge("perpetuo.command_log.held", () => Volatile.Read(ref _commandLogHeld), "{command}",
                                     "Commands the supervisor holds in memory (older ones are covered by a checkpoint).");
        _callback = _meter.CreateHistogram<double>("perpetuo.callback.duration", "s", "Time spent in the audio callback per block.",
                                                   tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = CallbackBuckets });
    }

    /// <summary>Refreshes the snapshot and drains the callback durations every <see cref="RefreshInterval"/>. Control thread only.</summary>
    public void Poll(Engine engine)
    {
        long now = Stopwatch.GetTimestamp();
        if (now < _nextRefresh)
        {
            return;
        }
        _nextRefresh = now + _refreshTicks;
        Refresh();
    }

    /// <summary>Takes the snapshot and drains the durations now. Control thread only (or before it starts, after it stopped).</summary>
    public void Refresh()
    {
        double toSeconds = 1.0 / Stopwatch.Frequency;
        while (_reader.Timings.TryTake(out long ticks))
        {
            _callback.Record(ticks * toSeconds);
        }
        long restarts = 0;
        foreach (SlotSnapshot s in _slots)
        {
            long r = _engine.RestartsOf(s.Index);
            restarts += r;
            Volatile.Write(ref s.Role, (int)_engine.RoleOf(s.Index));
            Volatile.Write(ref s.Pid, _engine.WorkerPid(s.Index));
        }
        Volatile.Write(ref _restarts, restarts);
        Volatile.Write(ref _resyncs, _engine.Events.Count("resynced"));
        Volatile.Write(ref _accepted, _engine.AcceptedCommands);
        Volatile.Write(ref _rejected, _engine.RejectedCommands);
        Volatile.Write(ref _late, _engine.LateCommands);
        Volatile.Write(ref _checkpointBlock, _engine.CheckpointSeq);
        Volatile.Write(ref _commandLogHeld, _engine.CommandLogHeld);
        Volatile.Write(ref _quarantined, _engine.Quarantined.Count);
        Volatile.Write(ref _quarantines, _engine.QuarantinesTotal);
    }

    public void Dispose() => _meter.Dispose();

    private void Counter(string name, string unit, string description, Func<long> read) =>
        _meter.CreateObservableCounter(name, read, unit, description);

    // The callbacks below run on the collecting thread (the metrics server), never on the audio or control thread.
    private IEnumerable<Measurement<double>> HeartbeatAges() =>
        _slots.Select(s => new Measurement<double>(_engine.HeartbeatAgeMs(s.Index) / 1000.0, s.SlotTag));

    private IEnumerable<Measurement<long>> LimiterBlocks() =>
        _slots.Select(s => new Measurement<long>(_engine.LimiterBlocksOf(s.Index), s.SlotTag));

    private IEnumerable<Measurement<int>> Pids() =>
        _slots.Select(s => new Measurement<int>(Volatile.Read(ref s.Pid), s.SlotTag));

    private IEnumerable<Measurement<int>> RoleStates()
    {
        var list = new List<Measurement<int>>(_slots.Length * Roles.Length);
        foreach (SlotSnapshot s in _slots)
        {
            int role = Volatile.Read(ref s.Role);
            foreach (SlotRole r in Roles)
            {
                list.Add(new Measurement<int>((int)r == role ? 1 : 0, s.SlotTag, s.RoleTags[(int)r]));
            }
        }
        return list;
    }

    /// <summary>What the control thread last saw of one slot; written there, read by the collecting thread.</summary>
    private sealed class SlotSnapshot(int index)
    {
        public readonly int Index = index;
        public readonly KeyValuePair<string, object?> SlotTag = new("slot", index.ToString(System.Globalization.CultureInfo.InvariantCulture));
        public readonly KeyValuePair<string, object?>[] RoleTags =
            Roles.Select(r => new KeyValuePair<string, object?>("role", r.ToString().ToLowerInvariant())).ToArray();
        public int Role;
        public int Pid;
    }
}
