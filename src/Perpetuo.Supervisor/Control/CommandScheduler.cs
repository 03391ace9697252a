using Perpetuo.Protocol;
using Perpetuo.Transport;

namespace Perpetuo.Supervisor.Control;

/// <summary>
/// Admission and stamping of commands: decides the block and frame each accepted command takes effect at, keeps
/// the command log (what the workers are fed from) and the schedule of commands stamped for a later block, and
/// says how far a worker may render. Pure bookkeeping: no clock, no shared memory, no I/O — the engine feeds it
/// the output position, and tests drive it through thousands of seeded schedules.
/// </summary>
/// <remarks>
/// Design: the invariants bit-exactness rests on, each kept here and checked by <c>CommandSchedulerTests</c>:
/// <list type="bullet">
/// <item>No stamp below a rendered block: a command is stamped at or after <see cref="EarliestStamp"/>, which is
/// at least every render limit ever published (<see cref="Advance"/>), so no worker can have started its block.</item>
/// <item>The log stays in stamp order, and nothing accepted is lost: a command is either in the log or in the
/// schedule until the horizon reaches its block.</item>
/// <item>A render limit never passes an unfed command (<see cref="LimitFor"/>).</item>
/// <item>At most <see cref="Limits.CommandsPerBlock"/> commands are stamped at one block, so a slot's ring holds a
/// block's commands whole and the worker applies every one of them at that block (see <see cref="Limits"/>). A
/// submission that would pass it is refused whole, before anything is stamped: a bundle applies completely or not
/// at all.</item>
/// </list>
/// Control thread only.
/// </remarks>
internal sealed class CommandScheduler
{
    private readonly List<CommandRecord> _scheduled = [];
    private readonly Dictionary<long, int> _batchCounts = [];
    private readonly List<CommandRecord> _insert = [];
    private long _publishedLimit;

    public CommandScheduler(CommandLog log) => Log = log;

    /// <summary>
    /// Runs a scratch scheduler through every path once (a command due now, one for a later block, one late, the
    /// horizon passing them), so the first real ones are not compiled on the control thread. The generic
    /// collections' code for command records is compiled on first use, which type-by-type preparation cannot reach:
    /// measured, the first MIDI note (stamped for a later block) stalled a control tick by 15 ms, an underrun at 64
    /// frames. Allocates; once, before playing.
    /// </summary>
    public static void WarmUp(int blockFrames)
    {
        var scratch = new CommandScheduler(new CommandLog());
        CommandRecord[] one = [CommandRecord.Create((int)CommandKind.NoteOn, 0, 0, value: 60, value2: 0.5f)];
        scratch.Advance(4, null);
        scratch.TryAccept([new CommandGroup(one), new CommandGroup(one, 40, 3), new CommandGroup(one, 30, 1), new CommandGroup(one, 1, 0)],
                          blockFrames, static _ => { }, out _);
        scratch.Advance(64, static _ => { });
        _ = scratch.LimitFor(0, 64);
    }

    /// <summary>Every command that has reached its render horizon, in stamp order.</summary>
    public CommandLog Log { get; }

    /// <summary>Commands stamped for a block beyond the render horizon, waiting to join the log.</summary>
    public int Scheduled => _scheduled.Count;

    /// <summary>Highest render limit published to any worker (the horizon of the last <see cref="Advance"/>).</summary>
    public long PublishedLimit => _publishedLimit;

    /// <summary>Earliest block a command accepted now can take effect at: no worker can have rendered it yet.</summary>
    public long EarliestStamp => Math.Max(_publishedLimit, Log.LastStamp);

    /// <summary>The stamp the last accepted group got.</summary>
    public long LastAcceptedStamp { get; private set; } = -1;

    /// <summary>Submissions that asked for a block already past and were applied at once.</summary>
    public long Late { get; private set; }

    /// <summary>
    /// Stamps and accepts every group of <paramref name="groups"/>, or none: false with a reason, and nothing
    /// changed, if one block would get more than <see cref="Limits.CommandsPerBlock"/> commands or the schedule
    /// more than <see cref="Limits.ScheduledCommands"/>. Accepted commands that are due now go to
    /// <paramref name="logged"/> (the journal) as they enter the log.
    /// </summary>
    public bool TryAccept(IReadOnlyList<CommandGroup> groups, int blockFrames, Action<CommandRecord>? logged, out string error)
    {
        ArgumentNullException.ThrowIfNull(groups);
        if (!TryAdmit(groups, blockFrames, out error))
        {
            return false;
        }
        long earliest = EarliestStamp;
        for (int g = 0; g < groups.Count; g++) // by index: foreach over the interface would box an enumerator
        {
            CommandGroup group = groups[g];
            (long stamp, int frame) = StampOf(group, earliest, blockFrames);
            LastAcceptedStamp = stamp;
            if (group.AtBlock >= 0 && group.AtBlock < earliest)
            {
                Late++;
            }
            for (int i = 0; i < group.Records.Count; i++)
            {
                CommandRecord r = group.Records[i];
                r.ApplyBlock = stamp;
                r.FrameOffset = frame;
                if (stamp > earliest)
                {
                    _insert.Add(r); // future: joins the log when the render horizon reaches it
                }
                else
                {
                    Log.Append(r);
                    logged?.Invoke(r);
                }
            }
            if (_insert.Count > 0)
            {
                // One insertion per group (its records share a stamp and a frame): one shift of the schedule, not one per record.
                _scheduled.InsertRange(ScheduledAfter(stamp, frame), _insert);
                _insert.Clear();
            }
        }
        return true;
    }

    /// <summary>
    /// The render horizon moved to <paramref name="horizon"/> (output position plus ring depth): scheduled commands
    /// stamped below it join the log (and <paramref name="logged"/>), and it becomes the published limit.
    /// </summary>
    public void Advance(long horizon, Action<CommandRecord>? logged)
    {
        int due = 0;
        while (due < _scheduled.Count && _scheduled[due].ApplyBlock < horizon)
        {
            CommandRecord r = _scheduled[due++];
            Log.Append(r);
            logged?.Invoke(r);
        }
        if (due > 0)
        {
            _scheduled.RemoveRange(0, due);
        }
        if (horizon > _publishedLimit)
        {
            _publishedLimit = horizon;
        }
    }

    /// <summary>
    /// How far a worker whose next unfed log entry is <paramref name="cursor"/> may render: the horizon, but never
    /// past the block of a command it has not been sent.
    /// </summary>
    public long LimitFor(long cursor, long horizon) =>
        cursor < Log.Count ? Math.Min(horizon, Log[cursor].ApplyBlock) : horizon;

    /// <summary>The stamp a group gets: its own block and frame if not yet past, else the earliest block, frame 0.</summary>
    private static (long Stamp, int Frame) StampOf(in CommandGroup group, long earliest, int blockFrames) =>
        group.AtBlock >= earliest ? (group.AtBlock, Math.Clamp(group.AtFrame, 0, blockFrames - 1)) : (earliest, 0);

    private bool TryAdmit(IReadOnlyList<CommandGroup> groups, int blockFrames, out string error)
    {
        error = "";
        long earliest = EarliestStamp;
        int future = 0;
        _batchCounts.Clear();
        for (int g = 0; g < groups.Count; g++)
        {
            CommandGroup group = groups[g];
            long stamp = StampOf(group, earliest, blockFrames).Stamp;
            int n = group.Records.Count + _batchCounts.GetValueOrDefault(stamp);
            _batchCounts[stamp] = n;
            if (stamp > earliest)
            {
                future += group.Records.Count;
            }
            int total = n + CountAt(stamp);
            if (total > Limits.CommandsPerBlock)
            {
                error = $"{total} commands would take effect at block {stamp}; at most {Limits.CommandsPerBlock} can " +
                        "(split the request, or send the rest a block later): refused, nothing changed";
                return false;
            }
        }
        if (_scheduled.Count + future > Limits.ScheduledCommands)
        {
            error = $"{_scheduled.Count} commands are already scheduled for later blocks; at most {Limits.ScheduledCommands} " +
                    "can wait: refused, nothing changed";
            return false;
        }
        return true;
    }

    /// <summary>Commands already stamped at <paramref name="block"/>, in the log and the schedule.</summary>
    private int CountAt(long block)
    {
        long inLog = block == Log.LastStamp ? Log.Count - Log.FirstAtOrAfter(block) : 0;
        return (int)inLog + (ScheduledBefore(block + 1) - ScheduledBefore(block));
    }

    /// <summary>Index of the first scheduled command stamped at or after <paramref name="block"/>.</summary>
    private int ScheduledBefore(long block) =>
        StampOrder.FirstAtOrAfter(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_scheduled), block);

    /// <summary>Index after every scheduled command at or before (<paramref name="block"/>, <paramref name="frame"/>): later
    /// submissions for the same moment apply after earlier ones.</summary>
    private int ScheduledAfter(long block, int frame)
    {
        int i = ScheduledBefore(block);
        while (i < _scheduled.Count && _scheduled[i].ApplyBlock == block && _scheduled[i].FrameOffset <= frame)
        {
            i++;
        }
        return i;
    }
}
