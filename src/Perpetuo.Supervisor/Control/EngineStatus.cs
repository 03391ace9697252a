using System.Text.Json;
using System.Text.Json.Serialization;

namespace Perpetuo.Supervisor.Control;

/// <summary>
/// A point-in-time report of the engine: the status JSON object of docs/protocol.md (what `perpetuo status --json`
/// prints). The one definition of that schema: the supervisor writes it and the CLI reads it, both through
/// <see cref="StatusJsonContext"/> (source-generated, no reflection). Keys are snake_case, in the documented order.
/// </summary>
public sealed record EngineStatus(
    [property: JsonPropertyOrder(0)] long Seq,
    [property: JsonPropertyOrder(1)] long Underruns,
    [property: JsonPropertyOrder(2)] long Failovers,
    [property: JsonPropertyOrder(3)] long Divergences,
    [property: JsonPropertyOrder(4)] long GcCollections,
    [property: JsonPropertyOrder(6)] long CommandsAccepted,
    [property: JsonPropertyOrder(7)] long CommandsRejected,
    [property: JsonPropertyOrder(8)] long LateCommands,
    [property: JsonPropertyOrder(9)] int ActiveSlot,
    [property: JsonPropertyOrder(10)] int SampleRate,
    [property: JsonPropertyOrder(11)] int BlockFrames,
    [property: JsonPropertyOrder(12)] int RingDepth,
    [property: JsonPropertyOrder(20)] IReadOnlyList<SlotStatus> Slots)
{
    /// <summary>Bytes the supervisor process allocated since the engine started (all threads; the callback adds none).</summary>
    [JsonPropertyOrder(5)]
    public long AllocatedBytes { get; init; }

    /// <summary>Block of the newest checkpoint a worker with no survivor would resume from, or -1.</summary>
    [JsonPropertyOrder(13)]
    public long CheckpointSeq { get; init; } = -1;

    /// <summary>Commands the command log holds in memory (the journal has all of them).</summary>
    [JsonPropertyOrder(14)]
    public int CommandLogHeld { get; init; }

    /// <summary>Commands the command log holds in its spill on disk (a plugin session's older ones).</summary>
    [JsonPropertyOrder(14)]
    public long CommandLogSpilled { get; init; }

    /// <summary>Journal lines a write error lost (disk full): nonzero means the journal no longer replays the session.</summary>
    [JsonPropertyOrder(15)]
    public long JournalLinesLost { get; init; }

    /// <summary>Events-file lines a write error lost (disk full); the events are still in <see cref="RecentEvents"/>.</summary>
    [JsonPropertyOrder(16)]
    public long EventLinesLost { get; init; }

    /// <summary>Whether the workers' output safety stage is on (false only with play --no-limiter).</summary>
    [JsonPropertyOrder(17)]
    public bool Limiter { get; init; } = true;

    /// <summary>Blocks the active slot's worker clipped: the played output's count, as far as that worker saw it.</summary>
    /// <remarks>Derived from <see cref="Slots"/>: written, and recomputed (not read) on the reading side.</remarks>
    [JsonPropertyOrder(18)]
    public long LimiterBlocks => ActiveSlot >= 0 && ActiveSlot < Slots.Count ? Slots[ActiveSlot].LimiterBlocks : 0;

    /// <summary>The last engine events, oldest first, each one line of the events file (a JSON object), embedded as is.</summary>
    /// <summary>The modules bypassed now after a deterministic fault (id, block, reason), oldest first.</summary>
    [JsonPropertyOrder(19)]
    public IReadOnlyList<QuarantinedModule> Quarantined { get; init; } = [];

    [JsonPropertyOrder(21)]
    [JsonConverter(typeof(RawJsonLinesConverter))]
    public IReadOnlyList<string> RecentEvents { get; init; } = [];

    /// <summary>The OSC control server's own counters; set by the server in its reply, absent from the engine's own report.</summary>
    [JsonPropertyOrder(22)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public OscStatus? Osc { get; init; }

    /// <summary>The JSON object documented in docs/protocol.md (snake_case keys).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, StatusJsonContext.Default.EngineStatus);

    /// <summary>Reads a status JSON object; <see cref="JsonException"/> when it is not one.</summary>
    public static EngineStatus Parse(string json) =>
        JsonSerializer.Deserialize(json, StatusJsonContext.Default.EngineStatus) ?? throw new JsonException("the status JSON is null");
}

/// <summary>The <c>"osc"</c> object of the status JSON: the control server's view, counted in messages.</summary>
public sealed record OscStatus(string Endpoint, long Packets, long Malformed, long Accepted, long Rejected, long RepliesDropped,
                               long RepliesSuppressed);

/// <summary>
/// Writes each string (one complete JSON object, an events-file line) as a raw JSON value, and reads each element
/// back as its raw text, so an event line goes into the status exactly as it went into the events file.
/// </summary>
public sealed class RawJsonLinesConverter : JsonConverter<IReadOnlyList<string>>
{
    public override IReadOnlyList<string> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("expected an array of JSON objects");
        }
        var lines = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            using var element = JsonDocument.ParseValue(ref reader);
            lines.Add(element.RootElement.GetRawText());
        }
        return lines;
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<string> value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartArray();
        foreach (string line in value)
        {
            writer.WriteRawValue(line);
        }
        writer.WriteEndArray();
    }
}

/// <summary>
/// Source-generated (reflection-free, trimming-safe) serialization of the status JSON of docs/protocol.md, used by the
/// supervisor (writer) and the CLI (status, top: readers).
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(EngineStatus))]
public sealed partial class StatusJsonContext : JsonSerializerContext;
