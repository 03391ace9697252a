using System.Diagnostics;

namespace Perpetuo.Supervisor.Control;

// Status reports, built on the control thread. The members that say "any thread" read only values published with
// Volatile; the others (checkpoint, command log, quarantine counts) are the control thread's own.
public sealed partial class Engine
{
    /// <summary>Block of the newest checkpoint, or -1.</summary>
    public long CheckpointSeq => _checkpoints.Newest?.Seq ?? -1;

    /// <summary>Commands held in memory by the command log now.</summary>
    public int CommandLogHeld => _log.InMemory;

    /// <summary>Commands the command log holds in its spill on disk now.</summary>
    public long CommandLogSpilled => _log.Spilled;

    /// <summary>Commands dropped from memory because a checkpoint covers them (all of them stay in the journal).</summary>
    public long CommandsDropped => _checkpoints.CommandsDropped;

    /// <summary>The modules quarantined now. Control thread (status is built there).</summary>
    public IReadOnlyList<QuarantinedModule> Quarantined => _quarantine.Entries;

    /// <summary>Quarantines since start.</summary>
    public long QuarantinesTotal => _quarantine.Total;

    /// <summary>Garbage collections in this process since the engine started.</summary>
    public long GcCollections => GC.CollectionCount(0) - _gcAtStart;

    /// <summary>Worker pid per slot (0 when none).</summary>
    public int WorkerPid(int slot) => _slots[slot].Worker != null ? _slots[slot].Pid : 0;

    /// <summary>The current status.</summary>
    public EngineStatus Status()
    {
        long now = Stopwatch.GetTimestamp();
        int active = Reader.ActiveSlot;
        var slots = _slots.Select(s => new SlotStatus(
            s.Index, s.Worker != null ? s.Pid : 0, s.Role(active, _trailing.Trails(s)), s.Channel.LastSeq, s.HeartbeatAgeMs(now), s.Channel.Rms,
            Math.Max(0, s.Restarts - 1), s.Channel.Misses, s.Channel.Faults, s.Policy.RecentRestarts)
        {
            BackoffMsLeft = BackoffMsLeft(s, now),
            LimiterBlocks = LimiterBlocksOf(s.Index),
        }).ToList();
        return new EngineStatus(Reader.NextSeq, Reader.Underruns, Reader.Failovers, Reader.Divergences, GcCollections,
                                AcceptedCommands, RejectedCommands, LateCommands, active, _options.SampleRate,
                                _options.BlockFrames, _options.RingDepth, slots)
        {
            RecentEvents = Events.RecentLines(RecentEventsInStatus),
            AllocatedBytes = GC.GetTotalAllocatedBytes() - _allocatedAtStart,
            CheckpointSeq = CheckpointSeq,
            CommandLogHeld = _log.InMemory,
            CommandLogSpilled = _log.Spilled,
            JournalLinesLost = _journal?.LinesLost ?? 0,
            EventLinesLost = Events.LinesLost,
            Limiter = _options.Limiter,
            Quarantined = _quarantine.Entries,
        };
    }

    /// <summary>
    /// Blocks the output safety stage clipped in the slot's workers over the session (0 with the stage off):
    /// monotonic, a respawned worker's count adds to its predecessors'. Any thread (published by the control
    /// thread each tick).
    /// </summary>
    public long LimiterBlocksOf(int slot) => _slots[slot].LimiterBlocks.Total;

    /// <summary>How many of the last events a status report carries (for `perpetuo top`).</summary>
    public const int RecentEventsInStatus = 10;

    /// <summary>Worker slots.</summary>
    public int SlotCount => _slots.Length;

    /// <summary>The slot's role now. Control thread (the metrics snapshot).</summary>
    public SlotRole RoleOf(int slot) => _slots[slot].Role(Reader.ActiveSlot, _trailing.Trails(_slots[slot]));

    /// <summary>Milliseconds since the slot's worker last beat (0 without a worker). Any thread: shared-memory read.</summary>
    public double HeartbeatAgeMs(int slot) => _slots[slot].HeartbeatAgeMs(Stopwatch.GetTimestamp());

    /// <summary>Times the slot's worker was restarted (the first start not counted). Control thread.</summary>
    public long RestartsOf(int slot) => Math.Max(0, _slots[slot].Restarts - 1);
}
