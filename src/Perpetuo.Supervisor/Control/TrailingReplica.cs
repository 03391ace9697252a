using Perpetuo.Supervisor.Callback;
using Perpetuo.Protocol;
using Perpetuo.Transport;

namespace Perpetuo.Supervisor.Control;

/// <summary>
/// The trailing replica at work: which slot trails (<see cref="TrailerPlan"/>), how far it may render (a block only
/// once a leader has rendered it), when it is released to lead, and the <b>deadline switch</b>: when the output is
/// about to need block D (<see cref="Guard"/>), no leader has it, and at least two of them are stuck in (or died in) the same module at D, the trailer
/// is given D's commands and a quarantine of that module at D in its own ring, and renders D without the module; the
/// stuck leaders leave real-time priority (two spinning at it on a two-core machine would keep the trailer off the
/// CPU), and get it back if their block is the one heard.
/// </summary>
/// <remarks>
/// The switch is provisional (Simplex: a safety controller takes over when the fast one misses its deadline). What
/// the callback plays decides: if the first block at or after D that is not an underrun came from the trailer, the
/// bypass is the session's — the quarantine enters the log and the journal ("heard"), and it is confirmed by the
/// evidence the leaders leave (both judged hung or dead inside the module at D: <see cref="ModuleQuarantine"/>'s
/// verdict).
/// If a leader's block D was played instead, the trailer is replaced and the leaders go on. A leader that moves on past
/// D after the trailer's D was heard was slow, not stuck: the bypass is undone (the module restored at the next
/// block anyone can still change) and the leaders, whose states hold the module's block, are replaced. Control thread only.
/// </remarks>
internal sealed class TrailingReplica
{
    private readonly TrailerPlan _plan = new();
    private readonly SlotController[] _slots;
    private readonly CommandLog _log;
    private readonly BlockReader _reader;
    private readonly ModuleQuarantine _quarantine;
    private readonly EventLog _events;
    private readonly Action<SlotController, KillReason> _kill;
    private readonly Func<string, bool> _restore;
    private Switch? _switch;
    private readonly long _armedFrom;
    private readonly int _guardBlocks;

    /// <param name="slots">The engine's slots.</param>
    /// <param name="log">The command log (the trailer is fed from it, behind the leaders).</param>
    /// <param name="reader">The audio callback: the output position, and whose block was heard.</param>
    /// <param name="quarantine">Where a heard switch's quarantine goes.</param>
    /// <param name="events">The event stream.</param>
    /// <param name="kill">Replaces a slot's worker (with the reason).</param>
    /// <param name="restore">Submits a restore of a module at the earliest block (an undone switch); false if refused.</param>
    /// <param name="armedFrom">The output block from which on the switch is armed (<see cref="ArmedAfter"/>).</param>
    /// <param name="guardBlocks">How many blocks before the output needs a block the trailer is given it (<see cref="GuardBlocks"/>).</param>
    public TrailingReplica(SlotController[] slots, CommandLog log, BlockReader reader, ModuleQuarantine quarantine, EventLog events,
                           Action<SlotController, KillReason> kill, Func<string, bool> restore, long armedFrom, int guardBlocks)
    {
        _armedFrom = armedFrom;
        _guardBlocks = guardBlocks;
        _slots = slots;
        _log = log;
        _reader = reader;
        _quarantine = quarantine;
        _events = events;
        _kill = kill;
        _restore = restore;
    }

    /// <summary>
    /// Audio played before the deadline switch is armed: in its first second every worker runs its code for the first
    /// time (and a plugin its first blocks), and two leaders slow in the same module at once there are slow, not hung
    /// (seen: a switch in `synth` at block 9, heard, a quarantine of a healthy module).
    /// </summary>
    public static readonly TimeSpan ArmedAfter = TimeSpan.FromSeconds(1);

    /// <summary>The time the trailer is given to render a switched block (it is at the block, its commands in its ring).</summary>
    public static readonly TimeSpan Guard = TimeSpan.FromMilliseconds(3);

    /// <summary>
    /// <see cref="Guard"/> in blocks of <paramref name="blockSeconds"/>, at least one, and at most the depth less one
    /// (the leaders are then late by at least a block period when the switch is made).
    /// </summary>
    public static int GuardBlocks(double blockSeconds, int depth) =>
        Math.Clamp((int)Math.Ceiling(Guard.TotalSeconds / blockSeconds - 1e-9), 1, Math.Max(1, depth - 1));

    /// <summary>The trailing slot, or -1.</summary>
    public int Slot => _plan.Slot;

    /// <summary>Deadline switches made (each one a block a hang or a crash of every leader would have silenced).</summary>
    public long Switches { get; private set; }

    /// <summary>A worker is being started in <paramref name="s"/>: it trails if two others lead.</summary>
    public void OnLaunch(SlotController s)
    {
        int others = 0;
        foreach (SlotController o in _slots)
        {
            if (o != s && o.Phase is SlotPhase.Running or SlotPhase.Spawning or SlotPhase.AwaitSnapshot)
            {
                others++;
            }
        }
        if (_plan.OnLaunch(s.Index, others) && _plan.Slot == s.Index)
        {
            _events.Write("trailing", _reader.NextSeq, s.Index, ("from_block", s.PendingStartSeq));
        }
    }

    /// <summary>The worker of <paramref name="s"/> is gone.</summary>
    public void OnLost(SlotController s) => _plan.OnLost(s.Index, s.Link.WritePosition);

    /// <summary>True when <paramref name="s"/> trails.</summary>
    public bool Trails(SlotController s) => s.Index == _plan.Slot;

    /// <summary>
    /// The first block no leader has rendered: the trailer renders below it (and is fed only the commands stamped
    /// below it, so that a quarantine inserted at it reaches the trailer in order). -1 when no leader renders.
    /// </summary>
    public long Bound()
    {
        long bound = -1;
        foreach (SlotController o in _slots)
        {
            if (o.Index != _plan.Slot && o.HasWorker && o.Channel.Mode != SlotMode.Off)
            {
                bound = Math.Max(bound, o.Link.WritePosition);
            }
        }
        return bound;
    }

    /// <summary>One tick: release the trailer when it must lead, else switch at a deadline; and settle a switch made.</summary>
    public void Tick(long now)
    {
        if (_cancelledLines.TryFlush(now, out EventBurst summary))
        {
            WriteCancelledSummary(summary);
        }
        if (_plan.Slot >= 0)
        {
            int audible = 0;
            long published = -1;
            foreach (SlotController o in _slots)
            {
                if (o.Index != _plan.Slot && o.HasWorker && o.Channel.Mode == SlotMode.Readable)
                {
                    audible++;
                    published = Math.Max(published, o.Link.WritePosition);
                }
            }
            if (_plan.ShouldRelease(audible, published))
            {
                _events.Write("trailer_released", _reader.NextSeq, _plan.Slot, ("leaders", audible), ("lost_at_block", _plan.LostAt));
                _plan.Release();
            }
            else if (_switch == null)
            {
                TryArm();
            }
        }
        switch (_switch)
        {
            case { Fired: false } armed:
                FireOrCancel(armed, now);
                break;
            case { } fired:
                Settle(fired);
                break;
        }
    }

    /// <summary>
    /// The most the trailer's render limit may be now: the block of a switch armed and not fired (its bypass is in the
    /// trailer's ring ahead of need; it must not render the block until the switch fires or is cancelled), or no cap.
    /// </summary>
    public long LimitCap => _switch is { Fired: false } armed ? armed.Block : long.MaxValue;

    /// <summary>
    /// Arms a switch when the leaders are a block period late with the block no leader has (they started it a ring's
    /// depth ahead of the output) and at least two of them are stuck in the same module there: the trailer gets the
    /// block's commands and the bypass now, ahead of need, and is held at the block; the stuck leaders leave real-time
    /// priority (two spinning at it on a two-core machine would keep the trailer off the CPU when it is needed).
    /// </summary>
    private void TryArm()
    {
        SlotController t = _slots[_plan.Slot];
        long d = Bound(); // the first block no leader has rendered
        if (!t.HasWorker || d < 0 || t.Link.WritePosition > d || _reader.NextSeq <= d - t.RenderLead || _reader.NextSeq < _armedFrom)
        {
            return; // a leader has the block, it is not late yet, or the engine is still warming up (ArmedAfter)
        }
        if (Stuck(t, d) is not { Witnesses: >= 2 } stuck)
        {
            return; // no two leaders agree where they are stuck: nothing to bypass on evidence
        }
        // The trailer has every command stamped below d (it is fed only below its bound): d's own, then the bypass, as
        // the log will hold them if the switch is heard.
        while (t.Cursor < _log.Count && _log[t.Cursor].ApplyBlock <= d)
        {
            if (!t.Commands.TryWrite(in _log[t.Cursor]))
            {
                return; // a full ring: the next tick tries again
            }
            t.Cursor++;
        }
        if (!t.Commands.TryWrite(CommandRecord.Create((int)CommandKind.Quarantine, d, 0, stuck.Module, "hang")))
        {
            return;
        }
        _quarantine.Delivered(t, d, stuck.Module);
        _switch = new Switch(d, stuck.Module, t.Index, t.Channel.Generation, stuck.Witnesses);
        foreach (SlotController o in _slots)
        {
            if (o != t && o.HasWorker && o.Link.WritePosition == d)
            {
                o.Worker!.SetRealtime(false);
                _switch.Lowered.Add(o.Index);
            }
        }
    }

    /// <summary>
    /// An armed switch: fired when the output needs its block within the guard and no leader has it (the trailer is
    /// released: it renders the block without the module), or cancelled when a leader published it meanwhile (a void
    /// record follows the bypass in the trailer's ring, the leaders get their priority back).
    /// </summary>
    private readonly EventCoalescer _cancelledLines = new(System.Diagnostics.Stopwatch.Frequency * 60);

    private void WriteCancelledSummary(EventBurst burst)
    {
        if (burst.Count > 0)
        {
            _events.Write("deadline_switches_cancelled", burst.Last, -1, ("count", burst.Count), ("first", burst.First), ("last", burst.Last));
        }
    }

    private void FireOrCancel(Switch sw, long now)
    {
        SlotController t = _slots[sw.Slot];
        if (!t.HasWorker || t.Channel.Generation != sw.Generation)
        {
            _switch = null; // the trailer is gone: its successor is fed from the log
            Relower(sw, realtime: true);
            return;
        }
        if (Bound() > sw.Block && !_quarantine.IsConfirmed(sw.Block, sw.Module))
        {
            if (!t.Commands.TryWrite(CommandRecord.Create((int)CommandKind.CancelQuarantine, sw.Block, 0, sw.Module)))
            {
                return; // a full ring: held at the block until the next tick
            }
            _switch = null;
            Relower(sw, realtime: true);
            // The usual end of a switch (a leader came in time: on a busy VM, about once a second with a reverb), so
            // one line for the first of a run and a summary at most once a minute: the log of a show stays readable
            // and writing it makes no steady garbage.
            bool line = _cancelledLines.Add(sw.Block, now, out EventBurst due);
            WriteCancelledSummary(due);
            if (line)
            {
                _events.Write("deadline_switch_cancelled", _reader.NextSeq, sw.Slot, ("block", sw.Block), ("module", sw.Module));
            }
            return;
        }
        if (_reader.NextSeq < sw.Block - _guardBlocks)
        {
            return;
        }
        sw.Fired = true;
        if (_plan.Slot == sw.Slot)
        {
            _plan.Release();
        }
        Switches++;
        _events.Write("deadline_switch", _reader.NextSeq, sw.Slot, ("block", sw.Block), ("module", sw.Module), ("witnesses", sw.Witnesses));
    }

    private void Relower(Switch sw, bool realtime)
    {
        foreach (SlotController o in _slots)
        {
            if (o.HasWorker && sw.Lowered.Contains(o.Index))
            {
                o.Worker!.SetRealtime(realtime);
            }
        }
    }

    /// <summary>The module at least two leaders (alive, or dead with their region as they left it) are in at block <paramref name="d"/>, and how many.</summary>
    private (string Module, int Witnesses)? Stuck(SlotController trailer, long d)
    {
        string? module = null;
        int witnesses = 0;
        foreach (SlotController o in _slots)
        {
            if (o != trailer && (o.HasWorker || o.Phase is SlotPhase.Dead or SlotPhase.Dying) && o.Link.WritePosition == d
                && o.Link.TryReadPosition(out long block, out string m) && block == d && (module == null || m == module))
            {
                module = m;
                witnesses++;
            }
        }
        return module == null ? null : (module, witnesses);
    }

    /// <summary>What the output played at and after the switch's block decides whose history the session is.</summary>
    private void Settle(Switch sw)
    {
        if (sw.Heard)
        {
            Confirm(sw);
            return;
        }
        SlotController t = _slots[sw.Slot];
        int heardFrom = BlockReader.Unknown;
        for (long b = sw.Block; b < _reader.NextSeq; b++)
        {
            heardFrom = _reader.SourceOf(b);
            if (heardFrom != BlockReader.Underrun)
            {
                break; // the first block played at or after the switch's: an underrun is nobody's history
            }
        }
        if (heardFrom is BlockReader.Underrun or BlockReader.Unknown && _reader.NextSeq - sw.Block < BlockReader.SourceHistory)
        {
            return; // nothing played since (or only silence): undecided yet
        }
        _switch = null;
        if (heardFrom != sw.Slot)
        {
            // A leader's block was played: the leaders are the session, the trailer's bypass is not.
            Relower(sw, realtime: true); // they were slow, not stuck: their real-time priority back
            _events.Write("deadline_switch_unheard", _reader.NextSeq, sw.Slot, ("block", sw.Block), ("module", sw.Module));
            if (t.HasWorker && t.Channel.Generation == sw.Generation)
            {
                _kill(t, KillReason.BypassNotHeard);
            }
            return;
        }
        // Heard: the bypass is the session's from here on. It is confirmed by the evidence the leaders leave (judged hung,
        // or dead, inside the module at that block: ModuleQuarantine's verdict), or undone if a leader moves on past the
        // block (it was slow, not stuck): the module is restored at the next block anyone can still change.
        _quarantine.Heard(sw.Block, sw.Module, sw.Slot, "the leaders were stuck in it at this block; the trailing replica played the block without it");
        sw.Heard = true;
        _switch = sw;
    }

    /// <summary>A heard switch waits for its evidence: the leaders' verdict, or one moving on.</summary>
    private void Confirm(Switch sw)
    {
        if (_quarantine.IsConfirmed(sw.Block, sw.Module))
        {
            _switch = null;
            QuarantineReason reason = _quarantine.ConfirmHeard(sw.Block, sw.Module);
            _events.Write("quarantine_confirmed", _reader.NextSeq, sw.Slot, ("module", sw.Module), ("block", sw.Block),
                          ("reason", QuarantineReasons.Name(reason)));
            return;
        }
        bool leaderLeft = false;
        bool movedOn = false;
        foreach (SlotController o in _slots)
        {
            if (o.Index != sw.Slot && o.HasWorker && o.Channel.Generation != 0 && o.PendingStartSeq <= sw.Block)
            {
                leaderLeft = true;
                movedOn |= o.Link.WritePosition > sw.Block;
            }
        }
        if (!movedOn && leaderLeft)
        {
            return; // the leaders are still where they were: their verdict comes with the hang timeout
        }
        _switch = null;
        foreach (SlotController o in _slots)
        {
            if (o.Index != sw.Slot && o.HasWorker && o.PendingStartSeq <= sw.Block)
            {
                o.FailureExplained = true;
                _kill(o, KillReason.PastTheBypass); // past the block without the bypass the session has
            }
        }
        if (_restore(sw.Module))
        {
            _events.Write("quarantine_undone", _reader.NextSeq, sw.Slot, ("module", sw.Module), ("block", sw.Block),
                          ("why", movedOn ? "a leader finished the block: it was slow, not stuck" : "no leader left evidence at the block"));
        }
    }

    /// <summary>
    /// True when <paramref name="s"/>'s blocks may differ from the played ones because a heard switch is not confirmed
    /// yet: a leader that was slow, not stuck, rendered the module the session bypassed. It is the one replaced (with an
    /// undo of the bypass), never the trailer that was heard.
    /// </summary>
    public bool ExplainsDivergence(SlotController s) => _switch is { Heard: true } sw && s.Index != sw.Slot;

    private sealed record Switch(long Block, string Module, int Slot, int Generation, int Witnesses)
    {
        /// <summary>The trailer was released to render the block (else: armed, held at it).</summary>
        public bool Fired { get; set; }

        /// <summary>The slots of the leaders lowered to the ordinary class at the switch.</summary>
        public HashSet<int> Lowered { get; } = [];

        /// <summary>The trailer's block was heard: the bypass is in the log, waiting for its evidence.</summary>
        public bool Heard { get; set; }
    }
}
