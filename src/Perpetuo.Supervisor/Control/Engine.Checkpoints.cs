using System.Diagnostics;
using Perpetuo.Supervisor.Callback;
using Perpetuo.Transport;
using Perpetuo.Protocol;

namespace Perpetuo.Supervisor.Control;

// Checkpoints: every CheckpointSeconds of audio, a snapshot of a verified worker (the standby when there is one) is
// kept by the supervisor. A worker started with no survivor resumes from the newest checkpoint rather than replaying
// the whole session from block 0, and the command log drops the commands the older of the two kept checkpoints
// covers — so both the log's memory and the time to recover when both workers die are bounded by the interval, not
// by the session's length. Which snapshots are kept, and what the log may forget, is CheckpointBook's (a pure type);
// this file asks workers for snapshots, reads them, and applies the book's decisions.
public sealed partial class Engine
{
    private CheckpointBook? _book;
    private SnapshotRequest? _checkpointAsked;
    private long _commandsDropped;

    private CheckpointBook Book => _book ??= new CheckpointBook(CheckpointBlocks, _options.VerifyBlocks);

    /// <summary>Block of the newest checkpoint, or -1.</summary>
    public long CheckpointSeq => Book.Newest?.Seq ?? -1;

    /// <summary>Commands held in memory by the command log now.</summary>
    public int CommandLogHeld => _log.Held;

    /// <summary>Commands dropped from memory because a checkpoint covers them (all of them stay in the journal).</summary>
    public long CommandsDropped => _commandsDropped;

    /// <summary>
    /// Blocks between checkpoints: the option's interval, and with a live input at most a quarter of the input the
    /// regions keep, so a worker cold-started from the older checkpoint (two intervals and a verification back) still
    /// finds every input block since it.
    /// </summary>
    private long CheckpointBlocks
    {
        get
        {
            long blocks = (long)Math.Ceiling(_options.CheckpointSeconds * _options.SampleRate / _options.BlockFrames);
            return _inputHistoryBlocks > 0 ? Math.Min(blocks, _inputHistoryBlocks / 4) : blocks;
        }
    }

    /// <param name="now">Stopwatch time of this tick.</param>
    /// <param name="played">The output position read before this tick drained the callback's events: every fault or
    /// divergence the callback found below it has been acted on (the slot is off) by the time this runs.</param>
    private void MaintainCheckpoints(long now, long played)
    {
        if (_options.CheckpointSeconds <= 0 || !_primed)
        {
            return;
        }
        if (_dispute.IsOpen)
        {
            Book.DiscardProposal(); // the active's state is in question: nothing it produced is kept
            return;
        }
        if (Book.HasProposal)
        {
            JudgeProposal(played);
        }
        if (_checkpointAsked is { } asked)
        {
            CollectCheckpoint(asked, now);
            return;
        }
        if (Reader.NextSeq < Book.NextDue || Resyncing())
        {
            return; // not due, or a resync is using a survivor's snapshot area (its snapshot becomes a checkpoint too)
        }
        SlotController? source = CheckpointSource();
        if (source == null || !SnapshotRequest.TryAsk(source.Commands, source.Index, EarliestStamp, now, out SnapshotRequest request))
        {
            return; // try again next tick
        }
        _checkpointAsked = request;
        Book.Requested(Reader.NextSeq);
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

    private void CollectCheckpoint(SnapshotRequest asked, long now)
    {
        SlotController s = _slots[asked.Slot];
        // The array of the last evicted checkpoint is reused: no allocation per checkpoint once the patch is stable.
        byte[]? spare = Book.Spare;
        SnapshotRequest.Answer answer = asked.Poll(s.Link, s.HasWorker, now, spare, out byte[]? snapshot);
        if (answer == SnapshotRequest.Answer.Pending)
        {
            return; // not written yet
        }
        if (answer == SnapshotRequest.Answer.Taken)
        {
            if (ReferenceEquals(snapshot, spare))
            {
                Book.SpareTaken();
            }
            Propose(asked.Seq, snapshot!, s);
        }
        // Taken, or lost with its worker, or refused (a plugin's state cannot be saved: the newest checkpoint stays the
        // last one taken before it, and the log keeps every command since), or overtaken by a resync: next interval.
        _checkpointAsked = null;
    }

    /// <summary>A snapshot of a verified worker: a checkpoint once <see cref="CheckpointBook"/> confirms it.</summary>
    private void Propose(long seq, byte[] snapshot, SlotController from)
    {
        if (_options.CheckpointSeconds > 0 && !_dispute.IsOpen)
        {
            Book.Propose(seq, snapshot, from.Index, from.Channel.Generation);
        }
    }

    private void JudgeProposal(long played)
    {
        long seq = Book.ProposedSeq;
        SlotController s = _slots[Book.ProposedSlot];
        bool sameWorker = s.HasWorker && s.Channel.Generation == Book.ProposedGeneration && s.Channel.Mode == SlotMode.Readable;
        switch (Book.Judge(played, sameWorker, Reader.ActiveSlot == s.Index, s.Channel.MatchStreak))
        {
            case CheckpointBook.Verdict.Discarded:
                Events.Write("checkpoint_discarded", Reader.NextSeq, s.Index, ("block", seq));
                break;
            case CheckpointBook.Verdict.Adopted:
                DropCoveredCommands(s.Index);
                break;
        }
    }

    /// <summary>Drops the commands both checkpoints cover, except what a slot has not been sent yet.</summary>
    private void DropCoveredCommands(int fromSlot)
    {
        long keepFromBlock = Book.KeepCommandsFrom;
        long keepFrom = keepFromBlock >= 0 ? _log.FirstAtOrAfter(keepFromBlock) : _log.First;
        foreach (SlotController o in _slots)
        {
            if (o.Phase is SlotPhase.Running or SlotPhase.Spawning)
            {
                keepFrom = Math.Min(keepFrom, o.Cursor);
            }
        }
        int dropped = _log.DropBefore(keepFrom);
        _commandsDropped += dropped;
        Checkpoint newest = Book.Newest!;
        Events.Write("checkpoint", Reader.NextSeq, fromSlot, ("block", newest.Seq), ("bytes", newest.Snapshot.Length),
                     ("commands_dropped", dropped), ("commands_held", _log.Held));
    }

    /// <summary>
    /// Starts a worker with no survivor to copy: from the newest checkpoint, or from block 0 before the first one.
    /// </summary>
    private void ColdStart(SlotController s, bool initial)
    {
        s.SurvivorIndex = -1;
        Checkpoint? from = initial ? null : Book.Newest;
        s.StartedFrom = from;
        WarnIfInputIsGone(s, from?.Seq ?? 0);
        if (from == null)
        {
            s.ResetForNewWorker(0);
            Spawn(s, 0, initial ? 0 : _options.RespawnNice);
            return;
        }
        s.ResetForNewWorker(from.Seq);
        s.Link.PlaceSnapshot(from.Seq, from.Snapshot);
        Events.Write("cold_start", Reader.NextSeq, s.Index, ("from_block", from.Seq));
        Spawn(s, from.Seq, _options.RespawnNice);
    }

    /// <summary>
    /// A worker replayed from <paramref name="startSeq"/> needs the live input since then, and the regions keep the last
    /// <c>Limits.InputHistoryBytes</c> of it: a replay from further back (no checkpoint can be taken of a patch with a
    /// plugin) will stop with WorkerExitCode.InputLost. Said once per slot and start block, so the log explains it.
    /// </summary>
    private void WarnIfInputIsGone(SlotController s, long startSeq)
    {
        if (Reader.Input is not { } input || startSeq >= input.Next - _inputHistoryBlocks + _options.RingDepth
            || s.InputWarnedFrom == startSeq)
        {
            return;
        }
        s.InputWarnedFrom = startSeq;
        Events.Write("input_history_short", Reader.NextSeq, s.Index, ("from_block", startSeq),
                     ("oldest_input_block", Math.Max(0, input.Next - _inputHistoryBlocks)));
    }

    /// <summary>A worker could not load the checkpoint it was started from: fall back to the older one.</summary>
    private void OnSnapshotRejected(SlotController s)
    {
        Checkpoint? bad = s.StartedFrom;
        if (bad == null || !ReferenceEquals(bad, Book.Newest))
        {
            return;
        }
        bool fallback = Book.Rejected(bad, logStartsAtZero: _log.First == 0);
        Events.Write("checkpoint_rejected", Reader.NextSeq, s.Index, ("block", bad.Seq), ("fallback", fallback));
    }
}
