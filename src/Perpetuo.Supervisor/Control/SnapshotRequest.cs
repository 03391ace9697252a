using System.Diagnostics;
using Perpetuo.Protocol;
using Perpetuo.Transport;

namespace Perpetuo.Supervisor.Control;

/// <summary>
/// A snapshot asked of one slot's worker for one block, and what came of it. The request travels in the worker's
/// command ring, stamped at the block; the worker writes its state into its region's snapshot area when it gets
/// there, or marks the request refused (an LV2 plugin's state is the plugin's own). The control thread polls for the
/// answer each tick and never waits. A resync (the survivor's state, for a respawned slot) and a checkpoint (a
/// verified worker's state, kept) both ask this way.
/// </summary>
/// <remarks>
/// The region is the worker's to scribble on: an answer counts only for the block asked (and within the length the
/// layout allows, <see cref="SupervisorLink.TryTakeSnapshot"/>), an answer for a later block means this one will
/// never come, and a request with no answer by <see cref="Deadline"/> gives up — a stuck or forged answer costs at
/// most <see cref="Timeout"/>. Pure but for the region: <c>SnapshotRequestTests</c>. Control thread only.
/// </remarks>
/// <param name="Slot">The slot whose worker was asked.</param>
/// <param name="Seq">The block the snapshot is of (the state before rendering it).</param>
/// <param name="Deadline">Stopwatch time after which no answer is waited for.</param>
internal readonly record struct SnapshotRequest(int Slot, long Seq, long Deadline)
{
    /// <summary>How long a worker may take to answer: it writes even a large patch's state in milliseconds.</summary>
    public static readonly long Timeout = Stopwatch.Frequency * 2;

    /// <summary>What a poll found.</summary>
    public enum Answer
    {
        /// <summary>Not answered yet, and still in time.</summary>
        Pending,

        /// <summary>The snapshot, copied out of the region.</summary>
        Taken,

        /// <summary>The worker cannot save its state.</summary>
        Refused,

        /// <summary>The worker asked is gone: no answer will come.</summary>
        WorkerGone,

        /// <summary>
        /// Still in time, but the region answers a later request: this one's answer was overwritten or will never be
        /// written. Whoever needs this block's state gives up now; whoever needs any state may wait for the deadline
        /// (and so asks again at most once per <see cref="Timeout"/>, whatever a worker writes into its region).
        /// </summary>
        Overtaken,

        /// <summary>No answer by the deadline.</summary>
        TimedOut,
    }

    /// <summary>
    /// Writes a request for block <paramref name="at"/> into <paramref name="commands"/>; false when the ring has no
    /// room now (ask again on a later tick).
    /// </summary>
    public static bool TryAsk(CommandRingWriter commands, int slot, long at, long now, out SnapshotRequest request)
    {
        ArgumentNullException.ThrowIfNull(commands);
        request = new SnapshotRequest(slot, at, now + Timeout);
        return commands.TryWrite(CommandRecord.Create((int)CommandKind.Snapshot, at, 0));
    }

    /// <summary>Reads the asked worker's region once.</summary>
    /// <param name="link">The asked slot's region.</param>
    /// <param name="workerAlive">The slot still has a running worker. It may be the asked worker's successor (the slot was
    /// killed and respawned while a checkpoint request waited out a divergence): that region holds only the snapshot
    /// the successor started from, which is never of a block asked for before it was placed, so it is not taken.</param>
    /// <param name="now">Stopwatch time.</param>
    /// <param name="reuse">An array to copy into if it has exactly the snapshot's length (see <see cref="SupervisorLink.TryTakeSnapshot"/>).</param>
    /// <param name="snapshot">The copy, when <see cref="Answer.Taken"/>.</param>
    public Answer Poll(SupervisorLink link, bool workerAlive, long now, byte[]? reuse, out byte[]? snapshot)
    {
        ArgumentNullException.ThrowIfNull(link);
        snapshot = null;
        if (!workerAlive)
        {
            return Answer.WorkerGone;
        }
        if (link.SnapshotRefused(Seq))
        {
            return Answer.Refused;
        }
        snapshot = link.TryTakeSnapshot(Seq, reuse);
        if (snapshot != null)
        {
            return Answer.Taken;
        }
        if (now > Deadline)
        {
            return Answer.TimedOut;
        }
        return link.SnapshotSeq > Seq ? Answer.Overtaken : Answer.Pending;
    }
}
