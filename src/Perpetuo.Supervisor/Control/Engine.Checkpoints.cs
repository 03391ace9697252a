using System.Diagnostics;
using Perpetuo.Supervisor.Callback;
using Perpetuo.Transport;

namespace Perpetuo.Supervisor.Control;

// Checkpoints: every CheckpointSeconds of audio, a snapshot of a verified worker (the standby when there is one) is
// kept by the supervisor. A worker started with no survivor resumes from the newest checkpoint rather than replaying
// the whole session from block 0, and the command log drops the commands the older of the two kept checkpoints
// covers — so both the log's memory and the time to recover when both workers die are bounded by the interval, not
// by the session's length. A snapshot is kept only after its worker went on for VerifyBlocks more played or matched
// blocks without being killed (a worker that diverged is killed before its state can be kept). Two are kept: if a
// worker cannot load the newest (exit code 4), the other is used.
public sealed partial class Engine
{
    private Checkpoint? _checkpoint;
    private Checkpoint? _olderCheckpoint;
    private long _nextCheckpointAt;
    private int _checkpointSlot = -1;
    private long _checkpointSeq;
    private long _checkpointDeadline;
    private long _commandsDropped;
    private byte[]? _spareSnapshot;
    private Checkpoint? _proposed;
    private int _proposedSlot;
    private int _proposedGeneration;

    /// <summary>Block of the newest checkpoint, or -1.</summary>
    public long CheckpointSeq => _checkpoint?.Seq ?? -1;

    /// <summary>Commands held in memory by the command log now.</summary>
    public int CommandLogHeld => _log.Held;

    /// <summary>Commands dropped from memory because a checkpoint covers them (all of them stay in the journal).</summary>
    public long CommandsDropped => _commandsDropped;

    private long CheckpointBlocks =>
        (long)Math.Ceiling(_options.CheckpointSeconds * _options.SampleRate / _options.BlockFrames);

    /// <param name="now">Stopwatch time of this tick.</param>
    /// <param name="played">The output position read before this tick drained the callback's events: every fault or
    /// divergence the callback found below it has been acted on (the slot is off) by the time this runs.</param>
    private void MaintainCheckpoints(long now, long played)
    {
        if (_options.CheckpointSeconds <= 0 || !_primed)
        {
            return;
        }
        if (_nextCheckpointAt == 0)
        {
            _nextCheckpointAt = CheckpointBlocks; // the first after one interval: before it, a replay from block 0 is as short
        }
        if (_disputed)
        {
            _proposed = null; // the active's state is in question: nothing it produced is kept
            return;
        }
        if (_proposed != null)
        {
            ConfirmProposed(played);
        }
        if (_checkpointSlot >= 0)
        {
            CollectCheckpoint(now);
            return;
        }
        if (Reader.NextSeq < _nextCheckpointAt || Resyncing())
        {
            return; // not due, or a resync is using a survivor's snapshot area (its snapshot becomes a checkpoint too)
        }
        SlotController? source = CheckpointSource();
        long at = EarliestStamp;
        if (source == null || !source.Commands.TryWrite(CommandRecord.Create((int)CommandKind.Snapshot, at, 0)))
        {
            return; // try again next tick
        }
        _checkpointSlot = source.Index;
        _checkpointSeq = at;
        _checkpointDeadline = now + SnapshotTimeout;
        _nextCheckpointAt = Reader.NextSeq + CheckpointBlocks;
    }

    // Loops, not LINQ: this runs every control tick, and a lambda capturing a local allocates its closure on every
    // call of the method that declares the local (measured: 32 B per tick, 31 KB/s, before this was split out).
    private bool Resyncing()
    {
        foreach (SlotController s in _slots)
        {
            if (s.Phase == SlotPhase.AwaitSnapshot)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>A verified worker that has every logged command: the standby if possible, so the active one is not delayed.</summary>
    private SlotController? CheckpointSource()
    {
        SlotController? found = null;
        foreach (SlotController s in _slots)
        {
            if (s.HasWorker && s.Channel.Mode == SlotMode.Readable && s.Cursor == _log.Count
                && (found == null || found.Index == Reader.ActiveSlot))
            {
                found = s;
            }
        }
        return found;
    }

    private void CollectCheckpoint(long now)
    {
        SlotController s = _slots[_checkpointSlot];
        // The array of the last evicted checkpoint is reused: no allocation per checkpoint once the patch is stable.
        byte[]? snapshot = s.HasWorker ? s.Link.TryTakeSnapshot(_checkpointSeq, _spareSnapshot) : null;
        if (snapshot != null)
        {
            if (ReferenceEquals(snapshot, _spareSnapshot))
            {
                _spareSnapshot = null;
            }
            Propose(_checkpointSeq, snapshot, s);
        }
        else if (s.HasWorker && now <= _checkpointDeadline && s.Link.SnapshotSeq <= _checkpointSeq)
        {
            return; // not written yet
        }
        _checkpointSlot = -1; // taken, or lost with its worker, or overtaken by a resync's snapshot: next interval
    }

    /// <summary>
    /// A snapshot taken at block <paramref name="seq"/> becomes a checkpoint only once the worker it came from has
    /// gone on to have its blocks played or matched for <see cref="EngineOptions.VerifyBlocks"/> more blocks: a
    /// worker that diverged just before its snapshot is killed by then, and its state is never kept.
    /// </summary>
    private void Propose(long seq, byte[] snapshot, SlotController from)
    {
        if (_options.CheckpointSeconds <= 0 || seq <= Math.Max(_checkpoint?.Seq ?? -1, _proposed?.Seq ?? -1))
        {
            return;
        }
        _proposed = new Checkpoint(seq, snapshot);
        _proposedSlot = from.Index;
        _proposedGeneration = from.Channel.Generation;
    }

    private void ConfirmProposed(long played)
    {
        Checkpoint proposed = _proposed!;
        SlotController s = _slots[_proposedSlot];
        // A standby's every block since the snapshot must have matched what was played; the active one's blocks were
        // what was played (a standby that disagreed with them is the one replaced).
        bool matched = Reader.ActiveSlot == s.Index || s.Channel.MatchStreak >= played - proposed.Seq;
        if (!s.HasWorker || s.Channel.Generation != _proposedGeneration || s.Channel.Mode != SlotMode.Readable || !matched)
        {
            Events.Write("checkpoint_discarded", Reader.NextSeq, _proposedSlot, ("block", proposed.Seq));
            _proposed = null; // its worker was killed or replaced since (diverged, faulty, hung, missing blocks): not trusted
        }
        else if (played >= proposed.Seq + _options.VerifyBlocks)
        {
            AdoptCheckpoint(proposed, s.Index);
            _proposed = null;
        }
    }

    /// <summary>Keeps a confirmed snapshot as the newest checkpoint and drops the commands both checkpoints cover.</summary>
    private void AdoptCheckpoint(Checkpoint adopted, int fromSlot)
    {
        if (adopted.Seq <= (_checkpoint?.Seq ?? -1))
        {
            return;
        }
        long seq = adopted.Seq;
        byte[] snapshot = adopted.Snapshot;
        _spareSnapshot = _olderCheckpoint?.Snapshot; // no worker can still be reading it: ColdStart copies synchronously
        _olderCheckpoint = _checkpoint;
        _checkpoint = adopted;
        // Keep what a worker started from the older checkpoint needs, and what any slot has not been sent yet. Nothing
        // is dropped while only one checkpoint is held: if a worker rejected it, block 0 must still be replayable.
        long keepFrom = _olderCheckpoint != null ? _log.FirstAtOrAfter(_olderCheckpoint.Seq) : _log.First;
        foreach (SlotController o in _slots)
        {
            if (o.Phase is SlotPhase.Running or SlotPhase.Spawning)
            {
                keepFrom = Math.Min(keepFrom, o.Cursor);
            }
        }
        int dropped = _log.DropBefore(keepFrom);
        _commandsDropped += dropped;
        Events.Write("checkpoint", Reader.NextSeq, fromSlot, ("block", seq), ("bytes", snapshot.Length),
                     ("commands_dropped", dropped), ("commands_held", _log.Held));
    }

    /// <summary>
    /// Starts a worker with no survivor to copy: from the newest checkpoint, or from block 0 before the first one.
    /// </summary>
    private void ColdStart(SlotController s, bool initial)
    {
        s.SurvivorIndex = -1;
        Checkpoint? from = initial ? null : _checkpoint;
        s.StartedFrom = from;
        if (from == null)
        {
            s.Link.ResetForNewWorker(0);
            Spawn(s, 0, initial ? 0 : _options.RespawnNice);
            return;
        }
        s.Link.ResetForNewWorker(from.Seq);
        s.Link.PlaceSnapshot(from.Seq, from.Snapshot);
        Events.Write("cold_start", Reader.NextSeq, s.Index, ("from_block", from.Seq));
        Spawn(s, from.Seq, _options.RespawnNice);
    }

    /// <summary>A worker could not load the checkpoint it was started from: fall back to the older one.</summary>
    private void OnSnapshotRejected(SlotController s)
    {
        Checkpoint? bad = s.StartedFrom;
        if (bad == null || !ReferenceEquals(bad, _checkpoint))
        {
            return;
        }
        // Fall back to the older checkpoint, or to block 0 while the log still starts there. With neither, the newest
        // stays (a replay from block 0 would miss the dropped commands and play something else): restarts retry
        // it under the restart-intensity limit, and the event says why.
        bool fallback = _olderCheckpoint != null || _log.First == 0;
        Events.Write("checkpoint_rejected", Reader.NextSeq, s.Index, ("block", bad.Seq), ("fallback", fallback));
        if (fallback)
        {
            _checkpoint = _olderCheckpoint;
            _olderCheckpoint = null;
        }
    }
}
