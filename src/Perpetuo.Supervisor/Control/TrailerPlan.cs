namespace Perpetuo.Supervisor.Control;

/// <summary>
/// Which slot is the trailing replica, and when it stops trailing. Pure: it is told launches, losses and the leaders'
/// progress, so tests drive it directly (<c>TrailerPlanTests</c>).
/// </summary>
/// <remarks>
/// Design: of three workers, two lead (they render as far as the render limits allow) and one trails — it renders a
/// block only once a leader has rendered it. A fault that is in the DSP itself (a module that crashes or hangs on
/// some input) strikes every replica at the same block; the leaders meet it first, and the trailer, a block or
/// two behind, has not: the quarantine of the module lands in its future, and it plays that block without it. So the
/// trailer is never released past a block a lost leader died in until a live leader has passed that block (the
/// loss was chance, not the DSP), or no leader is left (the verdict on the fault, if there is one, is in the log
/// by then). Only a worker starting while two others are alive is made the trailer: its command ring must never hold
/// a command stamped past its render limit, so that a quarantine inserted at the block the leaders died in reaches
/// it in order; a running leader's ring already holds later ones. Control thread only.
/// </remarks>
internal sealed class TrailerPlan
{
    /// <summary>The trailing slot, or -1 (fewer than three workers, or the trailer was released).</summary>
    public int Slot { get; private set; } = -1;

    /// <summary>The latest block a leader was lost in while the trailer trailed (-1: none).</summary>
    public long LostAt { get; private set; } = -1;

    /// <summary>
    /// A worker is being started in <paramref name="slot"/> while <paramref name="othersAlive"/> other slots have a
    /// worker or are starting one: it trails when none does and at least two others lead. True when it does.
    /// </summary>
    public bool OnLaunch(int slot, int othersAlive)
    {
        if (Slot < 0 && othersAlive >= 2)
        {
            Slot = slot;
            LostAt = -1;
            return true;
        }
        return Slot == slot;
    }

    /// <summary>The worker of <paramref name="slot"/> is gone; it was rendering <paramref name="block"/>.</summary>
    public void OnLost(int slot, long block)
    {
        if (slot == Slot)
        {
            Slot = -1; // its successor is made the trailer again at its launch, if two others lead
            LostAt = -1;
        }
        else if (Slot >= 0)
        {
            LostAt = Math.Max(LostAt, block);
        }
    }

    /// <summary>
    /// Whether the trailer is released now (it leads from here on): no leader can be heard; or a leader was lost since
    /// it trails, fewer than two can be heard, and a live one has passed every block a leader was lost in. A trailer
    /// made while a leader is still starting (a rebuild) trails the one that can be heard until then.
    /// </summary>
    /// <param name="audibleLeaders">Leaders with a worker whose blocks may be heard.</param>
    /// <param name="leadersPublished">The most blocks any of them has published (its write position), or -1.</param>
    public bool ShouldRelease(int audibleLeaders, long leadersPublished) =>
        Slot >= 0 && (audibleLeaders == 0 || (LostAt >= 0 && audibleLeaders < 2 && leadersPublished > LostAt));

    /// <summary>The trailer leads from now on.</summary>
    public void Release()
    {
        Slot = -1;
        LostAt = -1;
    }
}
