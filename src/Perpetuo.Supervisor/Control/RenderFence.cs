namespace Perpetuo.Supervisor.Control;

/// <summary>
/// How far a worker may render: two bounds from two threads, so that the control thread is off the per-block path.
/// </summary>
/// <remarks>
/// Design: the <b>lead</b> is the latency — a worker renders at most the ring depth past the block the callback
/// plays next, which it reads from its region (the callback's read position) and which the callback's doorbell
/// wakes it for, block by block. The <b>fence</b> is for the commands — the control thread publishes a render
/// limit past which a worker may not go because commands for those blocks could still come; it sets it the lead
/// plus a slack ahead, and stamps new commands at or past it. So a control thread that comes round late by up to
/// the slack (a tick is ~1 ms; the slowest seen under load ~5 ms) never stalls the workers; the price is that an
/// OSC command takes effect the slack later than the lead alone would allow. Before the split, the limit was the
/// lead alone, raised only by the control thread's 1 ms tick: at 64-frame blocks (1.33 ms) the workers waited
/// for the tick, and underran.
/// </remarks>
public static class RenderFence
{
    /// <summary>How late the control thread may come round without stalling a worker.</summary>
    public static readonly TimeSpan ControlSlack = TimeSpan.FromMilliseconds(5);

    /// <summary><see cref="ControlSlack"/> in whole blocks of <paramref name="blockSeconds"/>: at least one.</summary>
    public static int SlackBlocks(double blockSeconds) =>
        Math.Max(1, (int)Math.Ceiling(ControlSlack.TotalSeconds / blockSeconds - 1e-9));

    /// <summary>The fence for the output position <paramref name="played"/> (the next block the callback plays).</summary>
    public static long Fence(long played, int depth, int slack) => played + depth + slack;

    /// <summary>The block a worker may not render yet: its render limit, or the lead past the output, whichever is first.</summary>
    public static long WorkerLimit(long played, int depth, long renderLimit) => Math.Min(renderLimit, played + depth);
}
