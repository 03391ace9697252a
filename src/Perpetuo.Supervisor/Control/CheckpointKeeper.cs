using Perpetuo.Supervisor.Callback;

namespace Perpetuo.Supervisor.Control;

/// <summary>
/// Checkpoints: every interval of audio, a snapshot of a verified worker (the standby when there is one) is kept by
/// the supervisor. A worker started with no survivor resumes from the newest checkpoint rather than replaying the
/// whole session from block 0, and the command log drops the commands the older of the two kept checkpoints covers —
/// so both the log's memory and the time to recover when both workers die are bounded by the interval, not by the
/// session's length. Which snapshots are kept, and what the log may forget, is <see cref="CheckpointBook"/>'s (pure);
/// this type asks workers for snapshots (<see cref="SnapshotRequest"/>), reads them, and applies the book's
/// decisions to the command log.
/// </summary>
/// <remarks>
/// Invariants it adds to the book's: at most one snapshot is asked for at a time; only of a readable worker that has
/// been sent every logged command, the standby when there is one (the active is not delayed); nothing is asked for,
/// proposed or kept while a divergence is open (<see cref="DivergenceDispute"/>: the active's state is unproven); the
/// log never drops a command a live slot has not been sent yet. <c>CheckpointKeeperTests</c> drive it over real
/// regions. Control thread only.
/// </remarks>
internal sealed class CheckpointKeeper
{
    private readonly CheckpointBook? _book; // null: checkpoints are off
    private readonly SlotController[] _slots;
    private readonly CommandLog _log;
    private readonly CommandScheduler _scheduler;
    private readonly BlockReader _reader;
    private readonly DivergenceDispute _dispute;
    private readonly EventLog _events;
    private SnapshotRequest? _asked;

    /// <param name="intervalBlocks">Blocks between checkpoints; 0 or less: none are taken.</param>
    /// <param name="verifyBlocks">Blocks a snapshot's worker must go on for, matching, before it is kept.</param>
    /// <param name="slots">The engine's slots.</param>
    /// <param name="scheduler">The command scheduler: its log, and the earliest block a request can be stamped at.</param>
    /// <param name="reader">The audio callback: what is played, and which slot is heard.</param>
    /// <param name="dispute">The divergence question, open or not.</param>
    /// <param name="events">The event stream.</param>
    public CheckpointKeeper(long intervalBlocks, int verifyBlocks, SlotController[] slots, CommandScheduler scheduler,
                            BlockReader reader, DivergenceDispute dispute, EventLog events)
    {
        _book = intervalBlocks > 0 ? new CheckpointBook(intervalBlocks, verifyBlocks) : null;
        _slots = slots;
        _scheduler = scheduler;
        _log = scheduler.Log;
        _reader = reader;
        _dispute = dispute;
        _events = events;
    }

    /// <summary>The newest confirmed checkpoint, or null.</summary>
    public Checkpoint? Newest => _book?.Newest;

    /// <summary>Commands dropped from memory because a checkpoint covers them (all of them stay in the journal).</summary>
    public long CommandsDropped { get; private set; }

    /// <summary>One tick's work: judge the proposal, collect or ask for a snapshot when one is due.</summary>
    /// <param name="now">Stopwatch time of this tick.</param>
    /// <param name="played">The output position read before this tick drained the callback's events: every fault or
    /// divergence the callback found below it has been acted on (the slot is off) by the time this runs.</param>
    public void Maintain(long now, long played)
    {
        if (_book == null)
        {
            return;
        }
        if (_dispute.IsOpen)
        {
            _book.DiscardProposal(); // the active's state is in question: nothing it produced is kept
            return;
        }
        if (_book.HasProposal)
        {
            JudgeProposal(_book, played);
        }
        if (_asked is { } asked)
        {
            Collect(_book, asked, now);
            return;
        }
        if (_reader.NextSeq < _book.NextDue || Resyncing())
        {
            return; // not due, or a resync is using a survivor's snapshot area (its snapshot becomes a checkpoint too)
        }
        SlotController? source = Source();
        if (source == null || !SnapshotRequest.TryAsk(source.Commands, source.Index, _scheduler.EarliestStamp, now, out SnapshotRequest request))
        {
            return; // try again next tick
        }
        _asked = request;
        _book.Requested(_reader.NextSeq);
    }

    /// <summary>A snapshot of a verified worker (a resync's, or one asked for here): a checkpoint once the book confirms it.</summary>
    public void Propose(long seq, byte[] snapshot, SlotController from)
    {
        if (_book != null && !_dispute.IsOpen)
        {
            _book.Propose(seq, snapshot, from.Index, from.Channel.Generation);
        }
    }

    /// <summary>A worker of <paramref name="s"/> could not load the checkpoint it was started from: fall back to the older one.</summary>
    public void Rejected(SlotController s)
    {
        Checkpoint? bad = s.StartedFrom;
        if (_book == null || bad == null || !ReferenceEquals(bad, _book.Newest))
        {
            return;
        }
        bool fallback = _book.Rejected(bad, logStartsAtZero: _log.First == 0);
        _events.Write("checkpoint_rejected", _reader.NextSeq, s.Index, ("block", bad.Seq), ("fallback", fallback));
    }

    // Loops, not LINQ: this runs every control tick, and a lambda capturing a local allocates its closure on every
    // call of the method that declares the local (measured: 32 B per tick, 31 KB/s).
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
    private SlotController? Source()
    {
        SlotController? found = null;
        foreach (SlotController s in _slots)
        {
            if (s.HasWorker && s.Channel.Mode == SlotMode.Readable && s.Cursor == _log.Count
                && (found == null || found.Index == _reader.ActiveSlot))
            {
                found = s;
            }
        }
        return found;
    }

    private void Collect(CheckpointBook book, SnapshotRequest asked, long now)
    {
        SlotController s = _slots[asked.Slot];
        // The array of the last evicted checkpoint is reused: no allocation per checkpoint once the patch is stable.
        byte[]? spare = book.Spare;
        SnapshotRequest.Answer answer = asked.Poll(s.Link, s.HasWorker, now, spare, out byte[]? snapshot);
        if (answer == SnapshotRequest.Answer.Pending)
        {
            return; // not written yet
        }
        if (answer == SnapshotRequest.Answer.Taken)
        {
            if (ReferenceEquals(snapshot, spare))
            {
                book.SpareTaken();
            }
            Propose(asked.Seq, snapshot!, s); // Answer.Taken: the copy
        }
        // Taken, or lost with its worker, or refused (a plugin's state cannot be saved: the newest checkpoint stays the
        // last one taken before it, and the log keeps every command since), or overtaken by a resync: next interval.
        _asked = null;
    }

    private void JudgeProposal(CheckpointBook book, long played)
    {
        long seq = book.ProposedSeq;
        SlotController s = _slots[book.ProposedSlot];
        bool sameWorker = s.HasWorker && s.Channel.Generation == book.ProposedGeneration && s.Channel.Mode == SlotMode.Readable;
        switch (book.Judge(played, sameWorker, _reader.ActiveSlot == s.Index, s.Channel.MatchStreak))
        {
            case CheckpointBook.Verdict.Discarded:
                _events.Write("checkpoint_discarded", _reader.NextSeq, s.Index, ("block", seq));
                break;
            case CheckpointBook.Verdict.Adopted:
                DropCoveredCommands(book, s.Index);
                break;
        }
    }

    /// <summary>Drops the commands both checkpoints cover, except what a slot has not been sent yet.</summary>
    private void DropCoveredCommands(CheckpointBook book, int fromSlot)
    {
        long keepFromBlock = book.KeepCommandsFrom;
        long keepFrom = keepFromBlock >= 0 ? _log.FirstAtOrAfter(keepFromBlock) : _log.First;
        foreach (SlotController o in _slots)
        {
            if (o.Phase is SlotPhase.Running or SlotPhase.Spawning)
            {
                keepFrom = Math.Min(keepFrom, o.Cursor);
            }
        }
        int dropped = _log.DropBefore(keepFrom);
        CommandsDropped += dropped;
        Checkpoint newest = book.Newest!;
        _events.Write("checkpoint", _reader.NextSeq, fromSlot, ("block", newest.Seq), ("bytes", newest.Snapshot.Length),
                      ("commands_dropped", dropped), ("commands_held", _log.Held));
    }
}
