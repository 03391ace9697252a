using System.Text.Json.Serialization;

namespace Perpetuo.Supervisor.Control;

/// <summary>A slot's role as shown in status (lowercase in the status JSON).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SlotRole>))]
public enum SlotRole
{
    /// <summary>Its blocks are being played.</summary>
    [JsonStringEnumMemberName("active")]
    Active,
    /// <summary>Verified in lockstep with the active slot; takes over when a block is missing.</summary>
    [JsonStringEnumMemberName("standby")]
    Standby,
    /// <summary>
    /// Verified, and a block or two behind the leaders: it renders a block only once a leader has, so that a fault of
    /// the DSP itself that strikes the leaders at a block is bypassed there before it reaches this one.
    /// </summary>
    [JsonStringEnumMemberName("trailing")]
    Trailing,
    /// <summary>Worker spawned, not yet rendering.</summary>
    [JsonStringEnumMemberName("starting")]
    Starting,
    /// <summary>Worker brought to the survivor's state, being verified by block hashes.</summary>
    [JsonStringEnumMemberName("resyncing")]
    Resyncing,
    /// <summary>Restarted too often: waiting before the next attempt.</summary>
    [JsonStringEnumMemberName("backoff")]
    Backoff,
    /// <summary>Its ring broke the protocol; being replaced.</summary>
    [JsonStringEnumMemberName("faulty")]
    Faulty,
    /// <summary>No worker.</summary>
    [JsonStringEnumMemberName("dead")]
    Dead,
}
