using System.Text.Json.Serialization;
using Perpetuo.Lv2;

namespace Perpetuo.Cli;

/// <summary>One installed LV2 plugin in the JSON of `perpetuo plugins --json`.</summary>
internal sealed record PluginJson(
    string Uri,
    string Name,
    bool Supported,
    string Reason,
    int AudioInputs,
    int AudioOutputs,
    int ControlOutputs,
    int CvPorts,
    int AtomPorts,
    bool MidiInput,
    IReadOnlyList<string> RequiredFeatures,
    IReadOnlyList<PluginParamJson> Params)
{
    /// <summary>lv2:minorVersion.microVersion from the plugin's data ("" when it gives none).</summary>
    public string Version { get; init; } = "";

    /// <summary>The plugin's shared library file.</summary>
    public string Library { get; init; } = "";

    /// <summary>With --check: the SHA-256 of the plugin's library file (hex), what a journal records to know it again.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? LibrarySha256 { get; init; }

    /// <summary>With --check: whether two fresh instances agreed bit for bit (<see cref="Lv2Replication"/>); null when not checked.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Replicable { get; init; }

    /// <summary>With --check: a hash of the check's output (hex), to compare across processes.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? CheckHash { get; init; }

    /// <summary>
    /// With --check, when replicable: its two instances in one process played differently (alike in both processes):
    /// it keeps state outside its instance, such as the C library's random generator.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? SharesState { get; init; }

    /// <summary>
    /// With --check, when replicable: only with its controls at their defaults (it recomputes its sound on a thread of
    /// its own when they move): hosted with no parameters.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? FixedParameters { get; init; }

    /// <summary>Its presets (with --check, or when one plugin is listed), in order of URI; null when not read.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<PresetJson>? Presets { get; init; }

    /// <summary>With --check: the latency it reported at its defaults (lv2:reportsLatency), in frames; null when not checked.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public float? LatencyFrames { get; init; }

    /// <summary>With --check, when not replicable: why.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ReplicationReason { get; init; }

    public static PluginJson From(Lv2PluginInfo p) => new(
        p.Uri, p.Name, p.Supported, p.Reason, p.AudioInputs, p.AudioOutputs, p.ControlOutputs, p.CVPorts, p.AtomPorts,
        p.HasMidiInput, p.RequiredFeatures,
        [.. p.ControlInputs.Select(c => new PluginParamJson(c.PortIndex, c.Symbol, c.Name, c.Min, c.Max, c.Default, c.IsInteger, c.IsToggled, c.IsEnumeration))])
    {
        Version = p.Version,
        Library = p.Library,
    };
}

/// <summary>A preset of a plugin: its number (what the module's <c>lv2:preset</c> parameter takes), URI, label, the
/// parameters it sets, and whether it holds plugin state beyond them.</summary>
internal sealed record PresetJson(int Number, string Uri, string Label, bool HasState, IReadOnlyDictionary<string, float> Values);

/// <summary>A control input (parameter) of a plugin: its port index, symbol, range and default.</summary>
internal sealed record PluginParamJson(
    int Index, string Symbol, string Name, float Min, float Max, float Default, bool Integer, bool Toggled, bool Enumeration);

/// <summary>Source-generated serialization of `perpetuo plugins --json` (snake_case, indented).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(IReadOnlyList<PluginJson>))]
[JsonSerializable(typeof(List<PluginJson>))]
[JsonSerializable(typeof(Dictionary<string, float>))]
internal sealed partial class PluginsJsonContext : JsonSerializerContext;
