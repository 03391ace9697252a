using Perpetuo.Transport;

namespace Perpetuo.Supervisor.Control;

// Command stamping, the command log, and feeding both slots' command rings under their render limits.
public sealed partial class Engine
{
    private readonly List<CommandRecord> _scheduled = [];
    private long _publishedLimit;
    private long _lateCommands;

    /// <summary>Commands that asked for a time already past and were applied at once.</summary>
    public long LateCommands => _lateCommands;

    /// <summary>Commands accepted since start.</summary>
    public long AcceptedCommands { get; private set; }

    /// <summary>Commands rejected since start (validation or a full ring).</summary>
    public long RejectedCommands { get; private set; }

    /// <summary>Earliest block a command accepted now can take effect at (no worker has rendered it yet).</summary>
    public long EarliestStamp => Math.Max(_publishedLimit, _log.LastStamp);

    /// <summary>Called by validation layers when they refuse a command.</summary>
    public void CountRejected() => RejectedCommands++;

    /// <summary>
    /// Accepts commands that belong together (e.g. a module and its parameters): stamps them all with the same
    /// position — the earliest block no worker has rendered, or <paramref name="atBlock"/>/<paramref name="atFrame"/>
    /// if that is later — logs them, and sends them to every live slot. Returns false with a reason if the
    /// command rings cannot take them now (nothing is then accepted). Control thread only.
    /// </summary>
    public bool TrySubmit(IReadOnlyList<CommandRecord> records, long atBlock, int atFrame, out string error, out long stamp)
    {
        ArgumentNullException.ThrowIfNull(records);
        error = "";
        long earliest = EarliestStamp;
        bool late = atBlock >= 0 && (atBlock < earliest);
        stamp = atBlock >= earliest ? atBlock : earliest;
        int frame = atBlock >= earliest ? Math.Clamp(atFrame, 0, _options.BlockFrames - 1) : 0;
        foreach (SlotController s in _slots)
        {
            if (s.HasWorker && s.Cursor == _log.Count && _scheduled.Count == 0 && s.Commands.FreeSpace < records.Count)
            {
                RejectedCommands++;
                error = $"command ring of slot {s.Index} is full ({_options.RingDepth}-block horizon): command rejected, nothing changed; retry shortly";
                return false;
            }
        }
        for (int i = 0; i < records.Count; i++) // by index: foreach over the interface would box an enumerator
        {
            CommandRecord stamped = records[i];
            stamped.ApplyBlock = stamp;
            stamped.FrameOffset = frame;
            if (stamp > earliest)
            {
                InsertScheduled(stamped); // future: joins the log when the render horizon reaches it
            }
            else
            {
                _log.Append(stamped);
                Journal?.Invoke(stamped);
            }
        }
        if (late)
        {
            _lateCommands++;
        }
        AcceptedCommands++;
        FeedAndLimit();
        return true;
    }

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
        if (!s.Commands.TryWrite(CommandRecord.Create((int)kind, at, 0, value: value, value2: value2)))
        {
            error = "command ring full";
            return false;
        }
        Events.Write("fault_injected", Reader.NextSeq, slot, ("kind", kind.ToString()), ("block", at));
        return true;
    }

    /// <summary>Receives each command as it enters the log (the journal writer).</summary>
    public Action<CommandRecord>? Journal { get; set; }

    private void InsertScheduled(in CommandRecord r)
    {
        int i = _scheduled.Count;
        while (i > 0 && (_scheduled[i - 1].ApplyBlock > r.ApplyBlock
                         || (_scheduled[i - 1].ApplyBlock == r.ApplyBlock && _scheduled[i - 1].FrameOffset > r.FrameOffset)))
        {
            i--;
        }
        _scheduled.Insert(i, r);
    }

    /// <summary>
    /// Moves due scheduled commands into the log, feeds every live slot's ring from its cursor, and raises each
    /// slot's render limit to the output position plus the ring depth — but never past the first command it has
    /// not received yet. Control thread only.
    /// </summary>
    private void FeedAndLimit()
    {
        long horizon = Reader.NextSeq + _options.RingDepth;
        int due = 0;
        while (due < _scheduled.Count && _scheduled[due].ApplyBlock < horizon)
        {
            CommandRecord r = _scheduled[due++];
            _log.Append(r);
            Journal?.Invoke(r);
        }
        if (due > 0)
        {
            _scheduled.RemoveRange(0, due);
        }
        foreach (SlotController s in _slots)
        {
            if (!s.HasWorker)
            {
                continue;
            }
            while (s.Cursor < _log.Count && s.Commands.TryWrite(in _log[s.Cursor]))
            {
                s.Cursor++;
            }
            long limit = s.Cursor < _log.Count ? Math.Min(horizon, _log[s.Cursor].ApplyBlock) : horizon;
            if (limit > s.Limit)
            {
                s.Limit = limit;
                s.Link.SetRenderLimit(limit);
            }
        }
        if (horizon > _publishedLimit)
        {
            _publishedLimit = horizon;
        }
    }
}
