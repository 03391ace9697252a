using Perpetuo.Supervisor.Callback;
using Perpetuo.Transport;

namespace Perpetuo.Supervisor.Control;

/// <summary>
/// The trailing replica at work: which slot trails (<see cref="TrailerPlan"/>), how far it may render (a block only
/// once a leader has rendered it), when it is released to lead, and the <b>deadline switch</b>: when the output is
/// about to need block D, no leader has it, and at least two leaders are stuck in (or died in) the same module at D,
/// the trailer is given D's commands and a quarantine of that module at D in its own ring, the stuck leaders are
/// stopped (SIGSTOP: a leader spinning at real-time priority must not keep the trailer off the CPU), and the trailer
/// plays D without the module.
/// </summary>
/// <remarks>
/// The switch is provisional (Simplex: a safety controller takes over when the fast one misses its deadline). What
/// the callback plays decides: if the first block at or after D that is not an underrun came from the trailer, the
/// bypass is the session's — the quarantine enters the log and the journal ("heard"), and it is confirmed when the
/// stopped leaders' regions still say they were stuck in the module at D, or undone (the module restored at the
/// next block anyone can still change) when a leader had in fact moved on; the leaders are replaced either way.
/// If a leader's block D was played instead, the trailer is replaced and the leaders go on. Control thread only.
/// </remarks>
internal sealed class TrailingReplica
{
    private readonly TrailerPlan _plan = new();
    private readonly SlotController[] _slots;
    private readonly CommandLog _log;
    private readonly BlockReader _reader;
    private readonly ModuleQuarantine _quarantine;
    private readonly EventLog _events;
    private readonly Action<SlotController, string> _kill;
    private readonly Func<string, bool> _restore;
    private Switch? _switch;

    /// <param name="slots">The engine's slots.</param>
    /// <param name="log">The command log (the trailer is fed from it, behind the leaders).</param>
    /// <param name="reader">The audio callback: the output position, and whose block was heard.</param>
    /// <param name="quarantine">Where a heard switch's quarantine goes.</param>
    /// <param name="events">The event stream.</param>
    /// <param name="kill">Replaces a slot's worker (with the reason).</param>
    /// <param name="restore">Submits a restore of a module at the earliest block (an undone switch); false if refused.</param>
    public TrailingReplica(SlotController[] slots, CommandLog log, BlockReader reader, ModuleQuarantine quarantine, EventLog events,
                           Action<SlotController, string> kill, Func<string, bool> restore)
    {
        _slots = slots;
        _log = log;
        _reader = reader;
        _quarantine = quarantine;
        _events = events;
        _kill = kill;
        _restore = restore;
    }

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
    public void Tick()
    {
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
            else
            {
                TrySwitch();
            }
        }
        if (_switch != null)
        {
            Settle(_switch);
        }
    }

    private void TrySwitch()
    {
        SlotController t = _slots[_plan.Slot];
        long d = t.Link.WritePosition;
        if (!t.HasWorker || _switch != null || Bound() > d || _reader.NextSeq < d - 1)
        {
            return; // a leader has the block, or the output does not need it yet
        }
        string? module = null;
        int witnesses = 0;
        foreach (SlotController o in _slots)
        {
            if (o != t && (o.HasWorker || o.Phase is SlotPhase.Dead or SlotPhase.Dying) && o.Link.WritePosition == d
                && o.Link.TryReadPosition(out long block, out string m) && block == d && (module == null || m == module))
            {
                module = m;
                witnesses++;
            }
        }
        if (witnesses < 2 || module == null)
        {
            return; // no two leaders agree where they are stuck: nothing to bypass on evidence
        }
        // The trailer's cursor is at the first command stamped at or after d (it is fed only below its bound): d's own
        // commands, then the bypass, as the log will hold them if the switch is heard.
        while (t.Cursor < _log.Count && _log[t.Cursor].ApplyBlock <= d)
        {
            if (!t.Commands.TryWrite(in _log[t.Cursor]))
            {
                return; // a full ring: the next tick tries again
            }
            t.Cursor++;
        }
        if (!t.Commands.TryWrite(CommandRecord.Create((int)Perpetuo.Protocol.CommandKind.Quarantine, d, 0, module, "hang")))
        {
            return;
        }
        foreach (SlotController o in _slots)
        {
            if (o != t && o.HasWorker && o.Link.WritePosition == d)
            {
                o.Worker!.Stop(); // a leader spinning at real-time priority keeps no core from the trailer
            }
        }
        _quarantine.Delivered(t, d, module);
        _switch = new Switch(d, module, t.Index, t.Channel.Generation);
        _plan.Release();
        Switches++;
        _events.Write("deadline_switch", _reader.NextSeq, t.Index, ("block", d), ("module", module), ("witnesses", witnesses));
    }

    /// <summary>What the output played at and after the switch's block decides whose history the session is.</summary>
    private void Settle(Switch sw)
    {
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
            foreach (SlotController o in _slots)
            {
                if (o != t && o.HasWorker)
                {
                    o.Worker!.Continue();
                }
            }
            _events.Write("deadline_switch_unheard", _reader.NextSeq, sw.Slot, ("block", sw.Block), ("module", sw.Module));
            if (t.HasWorker && t.Channel.Generation == sw.Generation)
            {
                _kill(t, "diverged");
            }
            return;
        }
        int stillThere = 0;
        foreach (SlotController o in _slots)
        {
            if (o != t && o.Phase != SlotPhase.Dead && o.Link.TryReadPosition(out long block, out string m) && block == sw.Block && m == sw.Module)
            {
                stillThere++;
            }
        }
        bool confirmed = stillThere >= 2;
        _quarantine.Heard(sw.Block, sw.Module, sw.Slot,
                          confirmed ? "the leaders were stuck in it at this block; the trailing replica played the block without it"
                                    : "the leaders were stuck in it at this block when the output needed it (not confirmed: one had moved on)");
        foreach (SlotController o in _slots)
        {
            if (o != t && o.HasWorker)
            {
                o.FailureExplained = true;
                _kill(o, "hung"); // stopped, and past the block without the bypass the session now has
            }
        }
        if (!confirmed && _restore(sw.Module))
        {
            _events.Write("quarantine_undone", _reader.NextSeq, sw.Slot, ("module", sw.Module), ("block", sw.Block));
        }
    }

    private sealed record Switch(long Block, string Module, int Slot, int Generation);
}
