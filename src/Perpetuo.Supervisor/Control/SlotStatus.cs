namespace Perpetuo.Supervisor.Control;

/// <summary>One slot in a status report.</summary>
public sealed record SlotStatus(int Slot, int Pid, SlotRole Role, long LastSeq, double HeartbeatAgeMs, double Rms,
                                long Restarts, long Misses, long Faults, int RecentRestarts)
{
    /// <summary>Milliseconds until a slot in backoff is restarted (0 when it is not in backoff).</summary>
    public double BackoffMsLeft { get; init; }

    /// <summary>Blocks the slot's current worker's output safety stage clipped since it started.</summary>
    public long LimiterBlocks { get; init; }
}
