using Perpetuo.Transport;
using Perpetuo.Protocol;

namespace Perpetuo.Supervisor.Control;

// Deterministic faults: a module that fails in every replica at the same block is quarantined (bypassed) from that
// block on, and the engine goes on without replaying into it. Which failures are deterministic is CulpritTracker's
// (pure); what is quarantined now is QuarantineBook's (pure); this file reads the workers' evidence from their
// regions and acts: a quarantine command inserted into the log at the fault's block, journaled, announced.
public sealed partial class Engine
{
    private readonly CulpritTracker _culprits = new();
    private readonly QuarantineBook _quarantines = new();
    private Action<CommandRecord>? _onLogged;

    /// <summary>The modules quarantined now. Control thread (status is built there).</summary>
    public IReadOnlyList<QuarantinedModule> Quarantined => _quarantines.Entries;

    /// <summary>Quarantines since start.</summary>
    public long QuarantinesTotal => _quarantines.Total;

    /// <summary>Every command entering the log: lifts the quarantines it ends, then goes to the journal.</summary>
    private Action<CommandRecord> OnLogged => _onLogged ??= r =>
    {
        if (r.Kind is (int)CommandKind.Restore or (int)CommandKind.RemoveModule or (int)CommandKind.AddModule or (int)CommandKind.ClearModules)
        {
            _quarantines.OnAccepted((CommandKind)r.Kind, r.IdString ?? "");
        }
        Journal?.Invoke(r);
    };

    /// <summary>
    /// The modules a slot's workers quarantined by themselves (a NaN or an exception, caught at the module's
    /// boundary in every replica at the same frame): announced once, journaled at their block. Read from the
    /// region, which keeps them after the worker is gone.
    /// </summary>
    private void ReadQuarantineReports(SlotController s)
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
                && Plausible(s, block) && frame >= 0 && frame < _options.BlockFrames)
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
    private void OnWorkerFailed(SlotController s, QuarantineReason reason)
    {
        if (!s.Link.TryReadPosition(out long block, out string module) || !Plausible(s, block))
        {
            return; // not inside a module (or a record no worker of ours could have written): nothing to attribute
        }
        var failure = new CulpritTracker.Failure(block, module, reason, s.Pid, s.Index);
        Events.Write("worker_failed_in_module", Reader.NextSeq, s.Index, ("pid", s.Pid), ("module", module), ("block", block),
                     ("reason", QuarantineReasons.Name(reason)));
        if (_culprits.Observe(failure, out CulpritTracker.Failure earlier))
        {
            QuarantineCulprit(failure, earlier);
        }
    }

    /// <summary>
    /// Every replica failed in <paramref name="failure"/>'s module at its block: none rendered that block, so the
    /// quarantine can still take effect there. It goes into the log after the block's other commands (every worker
    /// started from a checkpoint replays it), into the journal (render --journal applies it), and every worker that
    /// could still run into the fault without it — one whose ring already holds later commands — is replaced.
    /// </summary>
    private void QuarantineCulprit(CulpritTracker.Failure failure, CulpritTracker.Failure earlier)
    {
        foreach (SlotController o in _slots)
        {
            if (o.HasWorker && o.Link.WritePosition > failure.Block)
            {
                return; // a worker rendered the block: not deterministic after all (never expected)
            }
        }
        CommandRecord record = CommandRecord.Create((int)CommandKind.Quarantine, failure.Block, 0, failure.Module,
                                                    QuarantineReasons.Name(failure.Reason));
        long index = _log.InsertAtStamp(record);
        foreach (SlotController o in _slots)
        {
            if (o.Cursor <= index)
            {
                continue; // it will be fed the quarantine in order
            }
            if (o.HasWorker)
            {
                Kill(o, "quarantine"); // its ring holds commands past the block: it would fail there too
            }
            else if (o.Phase == SlotPhase.Spawning && o.PendingStartSeq <= failure.Block)
            {
                o.Cursor = index; // nothing was written to its ring yet: feed it from the quarantine on
            }
        }
        foreach (SlotController o in _slots)
        {
            o.FailureExplained = o.Phase is SlotPhase.Dead or SlotPhase.Dying || o.FailureExplained;
        }
        Journal?.Invoke(record);
        Announce(failure.Module, failure.Block, 0, failure.Reason, failure.Slot,
                 $"workers {earlier.Pid} and {failure.Pid} both failed in it at this block");
    }

    /// <summary>
    /// A block a worker of <paramref name="s"/> may have been rendering: not below block 0, not at or past the slot's
    /// render limit (a worker never renders there). The region is the worker's to scribble on; a forged block must
    /// not put a quarantine anywhere else in the log or the journal.
    /// </summary>
    private static bool Plausible(SlotController s, long block) => block >= 0 && block < s.Limit;

    private void Announce(string module, long block, int frame, QuarantineReason reason, int slot, string evidence)
    {
        if (!_quarantines.Add(module, block, reason))
        {
            return; // the other replica's report, or a replay's
        }
        if (!QuarantineReasons.IsDecidedBySupervisor(reason))
        {
            Journal?.Invoke(CommandRecord.Create((int)CommandKind.Quarantine, block, frame, module, QuarantineReasons.Name(reason)));
        }
        Events.Write("module_quarantined", Reader.NextSeq, slot, ("module", module), ("block", block), ("frame", frame),
                     ("reason", QuarantineReasons.Name(reason)), ("evidence", evidence));
    }
}
