using Perpetuo.Control.Journal;
using Perpetuo.Protocol;
using Perpetuo.Supervisor.Callback;
using Perpetuo.Transport;

namespace Perpetuo.Supervisor.Control;

// Commands: admission and stamping are the scheduler's (a pure type); this file feeds both slots' command rings
// from the log under their render limits, and attaches the journal they go to (SessionJournal).
public sealed partial class Engine
{
    /// <summary>Submissions that asked for a time already past and were applied at once.</summary>
    public long LateCommands => _scheduler.Late;

    /// <summary>Commands accepted since start (one per command record, as the journal counts them).</summary>
    public long AcceptedCommands { get; private set; }

    /// <summary>Requests refused since start (validation, or a limit).</summary>
    public long RejectedCommands { get; private set; }

    /// <summary>Earliest block a command accepted now can take effect at (no worker has rendered it yet).</summary>
    public long EarliestStamp => _scheduler.EarliestStamp;

    /// <summary>The block the last accepted group of commands takes effect at.</summary>
    public long LastAcceptedStamp => _scheduler.LastAcceptedStamp;

    /// <summary>Called by validation layers when they refuse a request.</summary>
    public void CountRejected() => RejectedCommands++;

    /// <summary>
    /// Accepts every group of commands, each at its own stamp (the earliest block no worker has rendered, or the
    /// group's block and frame if that is later), logs them and sends them to every live slot — or accepts none,
    /// with a reason, if a limit would be passed. Control thread only.
    /// </summary>
    public bool TrySubmit(IReadOnlyList<CommandGroup> groups, out string error)
    {
        ArgumentNullException.ThrowIfNull(groups);
        if (!_scheduler.TryAccept(groups, _options.BlockFrames, _quarantine.Logged, out error))
        {
            RejectedCommands++;
            return false;
        }
        for (int g = 0; g < groups.Count; g++)
        {
            AcceptedCommands += groups[g].Records.Count;
        }
        FeedAndLimit();
        if (_log.SpillProblem.Length > 0 && !_spillProblemSaid)
        {
            _spillProblemSaid = true; // once: from now on the log grows in memory (the commands are all kept)
            Events.Write("command_log_in_memory", Reader.NextSeq, -1, ("why", _log.SpillProblem), ("held", _log.Held));
        }
        return true;
    }

    /// <summary>
    /// Plays the MIDI the output captures (<see cref="BlockReader.Midi"/>): notes, and the controllers
    /// <paramref name="map"/> maps, stamped at the frame they arrived a fixed latency later (<see cref="MidiIntake"/>).
    /// Call before the control thread starts.
    /// </summary>
    public void AttachMidi(Perpetuo.Control.Midi.MidiMap map)
    {
        double blockSeconds = (double)_options.BlockFrames / _options.SampleRate;
        Midi = new MidiIntake(map, _options.BlockFrames, MidiIntake.Latency(_options.RingDepth, _fenceSlack, blockSeconds));
        _submitMidi = groups => TrySubmit(groups, out _);
        Midi.WarmUp();
    }

    /// <summary>The MIDI intake, when MIDI is attached.</summary>
    public MidiIntake? Midi { get; private set; }

    private Func<IReadOnlyList<CommandGroup>, bool>? _submitMidi;
    private SessionJournal? _journal;

    /// <summary>A restore of <paramref name="module"/> at the earliest block (an undone deadline switch); false if refused.</summary>
    private bool RestoreModule(string module) =>
        TrySubmit([new CommandGroup([CommandRecord.Create((int)CommandKind.Restore, 0, 0, module)])], out _);

    /// <summary>Sends one fault-injection command to one slot's worker only (never logged or journaled).</summary>
    public bool TryInjectFault(int slot, CommandKind kind, float value, float value2, out string error)
    {
        error = "";
        if (!_options.AllowFaultInjection)
        {
            error = "fault injection is disabled: start play with --allow-fault-injection";
            return false;
        }
        if (slot < 0 || slot >= _slots.Length || !_slots[slot].HasWorker)
        {
            error = $"slot {slot} has no worker";
            return false;
        }
        SlotController s = _slots[slot];
        if (s.Cursor != _log.Count)
        {
            error = "slot is catching up; try again";
            return false;
        }
        long at = Math.Max(EarliestStamp, s.Link.RenderingSeq + 1);
        // One fault per slot per block: the ring keeps room for Limits.ControlRecordsPerBlock records besides the
        // commands of a block, and a flood of faults must not take it.
        if (at <= s.LastFaultBlock)
        {
            error = $"a fault is already pending for slot {slot} at block {s.LastFaultBlock}; try again";
            return false;
        }
        if (!s.Commands.TryWrite(CommandRecord.Create((int)kind, at, 0, value: value, value2: value2)))
        {
            error = "command ring full";
            return false;
        }
        s.LastFaultBlock = at;
        Events.Write("fault_injected", Reader.NextSeq, slot, ("kind", kind.ToString()), ("block", at));
        return true;
    }

    /// <summary>
    /// Journals the session (rate, channels, block, limiter, as this engine runs them) and every accepted command
    /// to <paramref name="journal"/>. Its first lost line becomes one
    /// <c>journal_write_failed</c> event (logged as an error) saying the journal can no longer replay the session;
    /// the count is in the status (<c>journal_lines_lost</c>). Call before the control thread starts.
    /// </summary>
    /// <param name="journal">The journal.</param>
    /// <param name="inputPath">Where the live input is recorded, beside the journal, when the engine has one (the
    /// session line names its file); ignored without a live input.</param>
    /// <param name="identify">The plugin a command record's module type names, as the journal records it (version and
    /// library), so that <c>render --journal</c> can refuse a different one; null when the session has no plugins.</param>
    public void AttachJournal(JournalWriter journal, string? inputPath = null, Func<string, JournalPlugin?>? identify = null)
    {
        ArgumentNullException.ThrowIfNull(journal);
        InputRecorder? input = _inputTape != null && inputPath != null ? new InputRecorder(inputPath, _inputTape, _options.SampleRate) : null;
        InputFanOut? stamps = Reader.Input;
        // The patch's content, not its path: the journal alone is the session (the file may change or go).
        var session = new JournalHeader(_options.SampleRate, _options.Channels, _options.BlockFrames, _options.Limiter,
                                         input != null ? Path.GetFileName(inputPath) : null, _options.PatchJson);
        IEnumerable<string> types = Perpetuo.Control.Patches.PatchFile.Parse(_options.PatchJson).Modules.Select(m => m.Type);
        _journal = new SessionJournal(journal, session, input, () => stamps?.Next ?? 0, () => Reader.NextSeq, Events, identify, types);
        Journal = _journal.Write;
    }

    /// <summary>Receives each command as it enters the log (the journal writer).</summary>
    public Action<CommandRecord>? Journal
    {
        get => _quarantine.Journal;
        set => _quarantine.Journal = value; // the quarantine desk journals what the log takes, and its own records
    }

    /// <summary>
    /// Moves due scheduled commands into the log, feeds every live slot's ring from its cursor, and raises each
    /// slot's render limit to the fence (<see cref="RenderFence"/>: the output position plus the ring depth plus the
    /// control thread's slack) — but never past the first command it has not received yet. The workers' pace
    /// within it is the callback's (the render lead); this thread only has to come round before they reach it.
    /// Control thread only.
    /// </summary>
    private void FeedAndLimit()
    {
        long horizon = RenderFence.Fence(Reader.NextSeq, _options.RingDepth, _fenceSlack);
        _scheduler.Advance(horizon, _quarantine.Logged);
        long trailBound = _trailing.Slot >= 0 ? Math.Min(_trailing.Bound(), _trailing.LimitCap) : long.MaxValue;
        foreach (SlotController s in _slots)
        {
            if (!s.HasWorker)
            {
                continue;
            }
            // The trailer renders a block only once a leader has, and is sent only the commands stamped below that
            // (TrailerPlan: a quarantine inserted at the block the leaders died in must reach it in order).
            long bound = _trailing.Trails(s) ? Math.Min(horizon, trailBound) : horizon;
            while (s.Cursor < _log.Count && _log[s.Cursor].ApplyBlock < bound && s.Commands.TryWrite(in _log[s.Cursor]))
            {
                s.Cursor++;
            }
            long limit = _scheduler.LimitFor(s.Cursor, bound);
            if (limit > s.Limit)
            {
                s.Limit = limit;
                s.Link.SetRenderLimit(limit);
            }
        }
    }
}
