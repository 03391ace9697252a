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

/// <summary>A control input (parameter) of a plugin: its port index, symbol, range and default.</summary>
internal sealed record PluginParamJson(
    int Index, string Symbol, string Name, float Min, float Max, float Default, bool Integer, bool Toggled, bool Enumeration);

/// <summary>Source-generated serialization of `perpetuo plugins --json` (snake_case, indented).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(IReadOnlyList<PluginJson>))]
[JsonSerializable(typeof(List<PluginJson>))]
internal sealed partial class PluginsJsonContext : JsonSerializerContext;
