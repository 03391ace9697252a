using System.Text.Json;
using System.Text.Json.Serialization;

namespace Perpetuo.Control.Commands;

/// <summary>
/// One module of the modules JSON of docs/protocol.md (the `/perpetuo/modules` reply): the one definition of that
/// schema, written by the supervisor (<see cref="GraphModel.ToJson"/>) and read by the CLI, both through
/// <see cref="ModulesJsonContext"/> (source-generated, no reflection).
/// </summary>
public sealed record ModuleJson(string Id, string Type, IReadOnlyList<ParamJson> Params)
{
    /// <summary>
    /// An LV2 plugin's latency, in frames, as it reported it at its defaults in its check (lv2:reportsLatency); absent
    /// for a module that reports none. Not compensated: in a single chain every signal is late by the sum.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public float? LatencyFrames { get; init; }

    /// <summary>Reads a modules JSON array; <see cref="JsonException"/> when it is not one.</summary>
    public static IReadOnlyList<ModuleJson> ParseList(string json) =>
        JsonSerializer.Deserialize(json, ModulesJsonContext.Default.IReadOnlyListModuleJson) ?? throw new JsonException("the modules JSON is null");

    /// <summary>Writes a modules JSON array.</summary>
    public static string ToJson(IReadOnlyList<ModuleJson> modules) =>
        JsonSerializer.Serialize(modules, ModulesJsonContext.Default.IReadOnlyListModuleJson);
}

/// <summary>One parameter of a module in the modules JSON: its current (or ramp target) value and its range.</summary>
public sealed record ParamJson(string Name, float Value, float Min, float Max);

/// <summary>Source-generated serialization of the modules JSON (docs/protocol.md).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(IReadOnlyList<ModuleJson>))]
public sealed partial class ModulesJsonContext : JsonSerializerContext;
