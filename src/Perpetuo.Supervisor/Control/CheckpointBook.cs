namespace Perpetuo.Supervisor.Control;

/// <summary>
/// The checkpoints the engine keeps, and the rules for taking, trusting and dropping them. Pure bookkeeping: the
/// engine asks for snapshots and reads them from workers; this type decides which of them are kept and what the
/// command log may forget. Tests drive it directly (<c>CheckpointBookTests</c>).
/// </summary>
/// <remarks>
/// Design: the invariants recovery rests on:
/// <list type="bullet">
/// <item>A snapshot is only proposed; it becomes a checkpoint once the worker it came from went on for
/// <c>verifyBlocks</c> more blocks, still the same worker, still readable, and (a standby) with every block since
/// matching what was played. A worker that diverged just before its snapshot is killed by then, and its state is
/// never kept.</item>
/// <item>Two are kept, newest and older; a worker that cannot load the newest falls back to the older, or to block 0
/// while the command log still starts there.</item>
/// <item>The command log keeps every command from the older checkpoint on; nothing is dropped while only one
/// checkpoint is held (if a worker rejected it, block 0 must still be replayable).</item>
/// </list>
/// Control thread only.
/// </remarks>
internal sealed class CheckpointBook
{
    private readonly long _intervalBlocks;
    private readonly int _verifyBlocks;
    private Proposal? _proposed;
    private byte[]? _spare;

    /// <param name="intervalBlocks">Blocks between snapshots; the first is due after one interval (before it, a
    /// replay from block 0 is as short).</param>
    /// <param name="verifyBlocks">Blocks a snapshot's worker must go on for before the snapshot is trusted.</param>
    public CheckpointBook(long intervalBlocks, int verifyBlocks)
    {
        _intervalBlocks = intervalBlocks;
        _verifyBlocks = verifyBlocks;
        NextDue = intervalBlocks;
    }

    /// <summary>The newest confirmed checkpoint, or null.</summary>
    public Checkpoint? Newest { get; private set; }

    /// <summary>The one before it, or null.</summary>
    public Checkpoint? Older { get; private set; }

    /// <summary>Output position at which the next snapshot is due.</summary>
    public long NextDue { get; private set; }

    /// <summary>The array of the last evicted checkpoint, to be reused for the next snapshot of the same size.</summary>
    public byte[]? Spare => _spare;

    /// <summary>True while a snapshot waits for its confirmation.</summary>
    public bool HasProposal => _proposed != null;

    /// <summary>Block of the snapshot waiting for confirmation, or -1.</summary>
    public long ProposedSeq => _proposed?.Checkpoint.Seq ?? -1;

    /// <summary>The slot the proposed snapshot came from, or -1.</summary>
    public int ProposedSlot => _proposed?.Slot ?? -1;

    /// <summary>A snapshot was requested at output position <paramref name="played"/>: the next is due an interval later.</summary>
    public void Requested(long played) => NextDue = played + _intervalBlocks;

    /// <summary>The caller took <see cref="Spare"/> for a snapshot.</summary>
    public void SpareTaken() => _spare = null;

    /// <summary>
    /// Proposes the snapshot of block <paramref name="seq"/> from the worker of <paramref name="slot"/> at
    /// <paramref name="generation"/>; ignored (false) unless it is newer than every checkpoint and proposal held.
    /// </summary>
    public bool Propose(long seq, byte[] snapshot, int slot, int generation)
    {
        if (seq <= Math.Max(Newest?.Seq ?? -1, _proposed?.Checkpoint.Seq ?? -1))
        {
            return false;
        }
        _proposed = new Proposal(new Checkpoint(seq, snapshot), slot, generation);
        return true;
    }

    /// <summary>Forgets the proposal (its worker's state is in question).</summary>
    public void DiscardProposal() => _proposed = null;

    /// <summary>
    /// Judges the proposal at output position <paramref name="played"/>, given what the slot it came from looks
    /// like now: <see cref="Verdict.Discarded"/> if that worker was replaced, is not readable, or a block since the
    /// snapshot did not match; <see cref="Verdict.Adopted"/> once <c>verifyBlocks</c> blocks were played past it;
    /// else <see cref="Verdict.Waiting"/>.
    /// </summary>
    /// <param name="sameWorker">The slot still has the worker of the proposal's generation, readable.</param>
    /// <param name="wasHeard">The slot is the one being played (its blocks are what was played).</param>
    /// <param name="matchStreak">Consecutive blocks of that slot that matched what was played.</param>
    public Verdict Judge(long played, bool sameWorker, bool wasHeard, long matchStreak)
    {
        if (_proposed == null)
        {
            return Verdict.Waiting;
        }
        long seq = _proposed.Checkpoint.Seq;
        if (!sameWorker || (!wasHeard && matchStreak < played - seq))
        {
            _proposed = null;
            return Verdict.Discarded;
        }
        if (played < seq + _verifyBlocks)
        {
            return Verdict.Waiting;
        }
        Adopt(_proposed.Checkpoint);
        _proposed = null;
        return Verdict.Adopted;
    }

    /// <summary>The generation the proposal's worker had.</summary>
    public int ProposedGeneration => _proposed?.Generation ?? -1;

    /// <summary>
    /// The first command-log block that must be kept: the older checkpoint's, or the log's start (-1: keep all)
    /// while fewer than two are held.
    /// </summary>
    public long KeepCommandsFrom => Older?.Seq ?? -1;

    /// <summary>
    /// The worker started from <paramref name="bad"/> could not load it: fall back to the older checkpoint, or to
    /// block 0 when <paramref name="logStartsAtZero"/>. Returns whether it fell back; with neither, the newest stays
    /// (a replay from block 0 would miss dropped commands and play something else).
    /// </summary>
    public bool Rejected(Checkpoint? bad, bool logStartsAtZero)
    {
        if (bad == null || !ReferenceEquals(bad, Newest))
        {
            return false; // an older one, already replaced: nothing to do
        }
        bool fallback = Older != null || logStartsAtZero;
        if (fallback)
        {
            Newest = Older;
            Older = null;
        }
        return fallback;
    }

    private void Adopt(Checkpoint adopted)
    {
        if (adopted.Seq <= (Newest?.Seq ?? -1))
        {
            return;
        }
        _spare = Older?.Snapshot; // no worker can still be reading it: a cold start copies synchronously
        Older = Newest;
        Newest = adopted;
    }

    /// <summary>What <see cref="Judge"/> decided.</summary>
    public enum Verdict
    {
        Waiting,
        Adopted,
        Discarded,
    }

    private sealed record Proposal(Checkpoint Checkpoint, int Slot, int Generation);
}
