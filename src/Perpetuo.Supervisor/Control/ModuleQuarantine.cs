using Perpetuo.Protocol;
using Perpetuo.Supervisor.Callback;
using Perpetuo.Transport;

namespace Perpetuo.Supervisor.Control;

/// <summary>
/// Deterministic faults: a module that fails in every replica at the same block is quarantined (bypassed) from that
/// block on, and the engine goes on without replaying into it. Which failures are deterministic is
/// <see cref="CulpritTracker"/>'s (pure); what is quarantined now is <see cref="QuarantineBook"/>'s (pure); this type
/// reads the workers' evidence from their regions and acts: a quarantine command inserted into the log at the
/// fault's block, journaled, announced, and every worker that would run into the fault without it replaced.
/// </summary>
/// <remarks>
/// The regions are the workers' to scribble on: a report or a position is evidence only for a block the worker may
/// have been rendering (not below 0, not at or past its slot's render limit) and a frame inside a block, so a forged
/// record cannot put a quarantine anywhere else in the log or the journal. <c>ModuleQuarantineTests</c> drive it over
/// real regions. Control thread only.
/// </remarks>
internal sealed class ModuleQuarantine
{
    private readonly CulpritTracker _culprits = new();
    private readonly QuarantineBook _book = new();
    private readonly SlotController[] _slots;
    private readonly CommandLog _log;
    private readonly int _blockFrames;
    private readonly BlockReader _reader;
    private readonly EventLog _events;
    private readonly Action<SlotController, KillReason> _kill;
    private readonly HashSet<(long Block, string Module)> _logged = [];
    private readonly Dictionary<(long Block, string Module), QuarantineReason> _verdicts = [];
    private (int Slot, int Generation, long Block, string Module)? _delivered;

    /// <param name="slots">The engine's slots.</param>
    /// <param name="log">The command log a quarantine goes into.</param>
    /// <param name="blockFrames">Frames per block (a reported frame must be inside one).</param>
    /// <param name="reader">The audio callback: the output position events are stamped with.</param>
    /// <param name="events">The event stream.</param>
    /// <param name="kill">Replaces a slot's worker (with the reason, for its event).</param>
    public ModuleQuarantine(SlotController[] slots, CommandLog log, int blockFrames, BlockReader reader, EventLog events,
                            Action<SlotController, KillReason> kill)
    {
        _slots = slots;
        _log = log;
        _blockFrames = blockFrames;
        _reader = reader;
        _events = events;
        _kill = kill;
        Logged = OnLogged; // one delegate for the session: handed to the scheduler on every submission
    }

    /// <summary>
    /// Runs the verdict's data structures once on throwaway copies: the generic instantiations the first fault needs
    /// (a list of failures, sets of (block, module) pairs, the book's queue and filters) are compiled then, not in the
    /// tick that must hand the trailing replica its block within the ring's lead (measured: that tick took 31 ms, and
    /// the trailer starved of render limit). The engine's start calls it with its other warm-ups.
    /// </summary>
    internal static void WarmUp()
    {
        var culprits = new CulpritTracker();
        culprits.Observe(new CulpritTracker.Failure(1, "warm", QuarantineReason.Crash, 1, 0), out _);
        culprits.Observe(new CulpritTracker.Failure(1, "warm", QuarantineReason.Hang, 2, 1), out _);
        var book = new QuarantineBook();
        book.Add("warm", 1, QuarantineReason.Crash);
        book.OnAccepted(CommandKind.Restore, "warm");
        book.OnAccepted(CommandKind.ClearModules, "");
        book.Add("warm", 2, QuarantineReason.Hang);
        book.Relabel("warm", 2, QuarantineReason.Crash);
        HashSet<(long Block, string Module)> pairs = [(1, "warm")];
        _ = pairs.Contains((1, "warm"));
        pairs.Clear();
        Dictionary<(long Block, string Module), QuarantineReason> verdicts = [];
        verdicts[(1, "warm")] = QuarantineReason.Crash;
        _ = verdicts.GetValueOrDefault((1, "warm"), QuarantineReason.Hang);
        var log = new CommandLog(4);
        log.Append(CommandRecord.Create((int)CommandKind.SetParam, 2, 0, "warm", "gain", 1));
        log.InsertAtStamp(CommandRecord.Create((int)CommandKind.Quarantine, 1, 0, "warm", QuarantineReasons.Name(QuarantineReason.Hang)));
        _ = log.FirstAtOrAfter(1);
    }

    /// <summary>Receives every command the log takes, and every quarantine (the journal writer).</summary>
    public Action<CommandRecord>? Journal { get; set; }

    /// <summary>Every command entering the log: lifts the quarantines it ends, then goes to the journal.</summary>
    public Action<CommandRecord> Logged { get; }

    /// <summary>The modules quarantined now (any thread: the book publishes a new list on each change).</summary>
    public IReadOnlyList<QuarantinedModule> Entries => _book.Entries;

    /// <summary>Quarantines since start.</summary>
    public long Total => _book.Total;

    /// <summary>
    /// The modules a slot's workers quarantined by themselves (a NaN or an exception, caught at the module's
    /// boundary in every replica at the same frame): announced once, journaled at their block. Read from the
    /// region, which keeps them after the worker is gone.
    /// </summary>
    public void ReadReports(SlotController s)
    {
        long count = s.Link.QuarantineCount;
        if (count == s.QuarantineReportsSeen)
        {
            return;
        }
        for (long n = Math.Max(s.QuarantineReportsSeen, count - RegionHeader.QuarantineSlots); n < count; n++)
        {
            if (s.Link.TryReadQuarantine(n, out long block, out int frame, out int reason, out string module)
                && (QuarantineReason)reason is QuarantineReason.Nan or QuarantineReason.Exception
                && Plausible(s, block) && frame >= 0 && frame < _blockFrames)
            {
                Announce(module, block, frame, (QuarantineReason)reason, s.Index, "a worker caught it at the module's boundary");
            }
        }
        s.QuarantineReportsSeen = count;
    }

    /// <summary>
    /// A worker of <paramref name="s"/> died (<see cref="QuarantineReason.Crash"/>) or was found hung
    /// (<see cref="QuarantineReason.Hang"/>): if it was inside a module, that is evidence; the second piece of
    /// evidence at the same block and module quarantines the module.
    /// </summary>
    public void OnWorkerFailed(SlotController s, QuarantineReason reason)
    {
        if (!s.Link.TryReadPosition(out long block, out string module) || !Plausible(s, block))
        {
            return; // not inside a module (or a record no worker of ours could have written): nothing to attribute
        }
        var failure = new CulpritTracker.Failure(block, module, reason, s.Pid, s.Index);
        _events.Write("worker_failed_in_module", _reader.NextSeq, s.Index, ("pid", s.Pid), ("module", module), ("block", block),
                      ("reason", QuarantineReasons.Name(reason)));
        if (_culprits.Observe(failure, out CulpritTracker.Failure earlier))
        {
            QuarantineCulprit(failure, earlier);
        }
    }

    private void OnLogged(CommandRecord r)
    {
        if (r.Kind is (int)CommandKind.Restore or (int)CommandKind.RemoveModule or (int)CommandKind.AddModule or (int)CommandKind.ClearModules)
        {
            _book.OnAccepted((CommandKind)r.Kind, r.IdString ?? "");
        }
        Journal?.Invoke(r);
    }

    /// <summary>
    /// Every replica failed in <paramref name="failure"/>'s module at its block: none rendered that block, so the
    /// quarantine can still take effect there. It goes into the log after the block's other commands (every worker
    /// started from a checkpoint replays it), into the journal (render --journal applies it), and every worker that
    /// could still run into the fault without it — one whose ring already holds later commands — is replaced.
    /// </summary>
    private void QuarantineCulprit(CulpritTracker.Failure failure, CulpritTracker.Failure earlier)
    {
        // Named by what the workers did in it: a crash if either died there (the other may have been judged hung
        // while its abort was still ending the process), else a hang.
        _verdicts[(failure.Block, failure.Module)] =
            failure.Reason == QuarantineReason.Crash || earlier.Reason == QuarantineReason.Crash ? QuarantineReason.Crash : failure.Reason;
        foreach (SlotController o in _slots)
        {
            if (o.HasWorker && o.Link.WritePosition > failure.Block && !IsDelivered(o))
            {
                return; // a worker rendered the block: not deterministic after all (never expected)
            }
        }
        Insert(failure.Block, failure.Module, failure.Reason, failure.Slot, $"workers {earlier.Pid} and {failure.Pid} both failed in it at this block");
    }

    /// <summary>
    /// The trailing replica played block <paramref name="block"/> with <paramref name="module"/> bypassed (a deadline
    /// switch: the quarantine record is already in its ring, not in the log), and it was heard: the bypass is now the
    /// session's. Into the log and the journal, as a quarantine decided on evidence is.
    /// </summary>
    public void Heard(long block, string module, int slot, string evidence) =>
        Insert(block, module, QuarantineReason.Hang, slot, evidence);

    /// <summary>
    /// <paramref name="slot"/>'s worker holds a quarantine of <paramref name="module"/> at <paramref name="block"/> in
    /// its ring already (the deadline switch wrote it there): when the quarantine enters the log, that worker is not
    /// replaced for having been sent past it, its cursor counts it instead.
    /// </summary>
    public void Delivered(SlotController slot, long block, string module) =>
        _delivered = (slot.Index, slot.Channel.Generation, block, module);

    /// <summary>Whether two failures of workers at <paramref name="block"/> inside <paramref name="module"/> gave the verdict.</summary>
    public bool IsConfirmed(long block, string module) => _verdicts.ContainsKey((block, module));

    /// <summary>
    /// A heard deadline switch's quarantine (provisionally a hang: the leaders had not delivered the block) confirmed
    /// by the leaders' verdict (<see cref="IsConfirmed"/>): status then names what they did in the module — a crash
    /// at a short block is seen as late before it is seen as a death. Returns the verdict's reason.
    /// </summary>
    public QuarantineReason ConfirmHeard(long block, string module)
    {
        QuarantineReason reason = _verdicts.GetValueOrDefault((block, module), QuarantineReason.Hang);
        _book.Relabel(module, block, reason);
        return reason;
    }

    private bool IsDelivered(SlotController o) =>
        _delivered is { } d && d.Slot == o.Index && d.Generation == o.Channel.Generation;

    /// <summary>
    /// A quarantine at <paramref name="block"/>, inserted into the log after that block's other commands, once (a
    /// second verdict on the same fault changes nothing). Every worker that could still run into the fault without
    /// it — one whose ring already holds later commands — is replaced, except the one it was delivered to.
    /// </summary>
    private void Insert(long block, string module, QuarantineReason reason, int slot, string evidence)
    {
        if (_logged.Count >= QuarantineBook.RememberedReports)
        {
            _logged.Clear(); // bounded: a session that quarantined a thousand times forgets the oldest verdicts
            _verdicts.Clear();
        }
        if (!_logged.Add((block, module)))
        {
            return;
        }
        CommandRecord record = CommandRecord.Create((int)CommandKind.Quarantine, block, 0, module, QuarantineReasons.Name(reason));
        long index = _log.InsertAtStamp(record);
        foreach (SlotController o in _slots)
        {
            if (o.Cursor <= index)
            {
                continue; // it will be fed the quarantine in order
            }
            if (o.HasWorker && IsDelivered(o) && _delivered!.Value.Block == block && _delivered.Value.Module == module)
            {
                o.Cursor++; // its ring has it (written there by the deadline switch): the log's copy is not sent again
            }
            else if (o.HasWorker)
            {
                _kill(o, KillReason.Quarantine); // its ring holds commands past the block: it would fail there too
            }
            else if (o.Phase == SlotPhase.Spawning && o.PendingStartSeq <= block)
            {
                o.Cursor = index; // nothing was written to its ring yet: feed it from the quarantine on
            }
        }
        foreach (SlotController o in _slots)
        {
            o.FailureExplained = o.Phase is SlotPhase.Dead or SlotPhase.Dying || o.FailureExplained;
        }
        Journal?.Invoke(record);
        Announce(module, block, 0, reason, slot, evidence);
    }

    /// <summary>
    /// A block a worker of <paramref name="s"/> may have been rendering: not below block 0, not at or past the slot's
    /// render limit (a worker never renders there).
    /// </summary>
    private static bool Plausible(SlotController s, long block) => block >= 0 && block < s.Limit;

    private void Announce(string module, long block, int frame, QuarantineReason reason, int slot, string evidence)
    {
        if (!_book.Add(module, block, reason))
        {
            return; // the other replica's report, or a replay's
        }
        if (!QuarantineReasons.IsDecidedBySupervisor(reason))
        {
            Journal?.Invoke(CommandRecord.Create((int)CommandKind.Quarantine, block, frame, module, QuarantineReasons.Name(reason)));
        }
        _events.Write("module_quarantined", _reader.NextSeq, slot, ("module", module), ("block", block), ("frame", frame),
                      ("reason", QuarantineReasons.Name(reason)), ("evidence", evidence));
    }
}
