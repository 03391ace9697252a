using System.Text.Json.Serialization;

namespace Perpetuo.Supervisor.Control;

/// <summary>One slot in a status report (an element of the status JSON's <c>"slots"</c>).</summary>
/// <remarks>The heartbeat age, level and backoff are rounded (3, 6 and 1 decimals) as reported.</remarks>
public sealed record SlotStatus(
    [property: JsonPropertyOrder(0)] int Slot,
    [property: JsonPropertyOrder(1)] int Pid,
    [property: JsonPropertyOrder(2)] SlotRole Role,
    [property: JsonPropertyOrder(3)] long LastSeq,
    double HeartbeatAgeMs,
    double Rms,
    [property: JsonPropertyOrder(6)] long Restarts,
    [property: JsonPropertyOrder(7)] long Misses,
    [property: JsonPropertyOrder(8)] long Faults,
    [property: JsonPropertyOrder(9)] int RecentRestarts)
{
    /// <summary>Milliseconds since the worker's last heartbeat, to the microsecond.</summary>
    [JsonPropertyOrder(4)]
    public double HeartbeatAgeMs { get; } = Math.Round(HeartbeatAgeMs, 3);

    /// <summary>The worker's output level (RMS of its last block), to 6 decimals.</summary>
    [JsonPropertyOrder(5)]
    public double Rms { get; } = Math.Round(Rms, 6);

    /// <summary>Milliseconds until a slot in backoff is restarted (0 when it is not in backoff).</summary>
    [JsonPropertyOrder(10)]
    public double BackoffMsLeft { get; init => field = Math.Round(value, 1); }

    /// <summary>Blocks the output safety stage clipped in the slot's workers over the session: never goes down.</summary>
    [JsonPropertyOrder(11)]
    public long LimiterBlocks { get; init; }
}
