using System.Text.Json.Serialization;

namespace Perpetuo.Control.Midi;

/// <summary>The MIDI map file as written (<see cref="MidiMap.Parse"/> validates it into a <see cref="MidiMap"/>).</summary>
internal sealed class MidiMapDocument
{
    /// <summary>Controller number (as a string: JSON keys are strings) to target.</summary>
    [JsonPropertyName("cc")]
    public Dictionary<string, MidiTargetDocument>? Controllers { get; set; }

    [JsonPropertyName("bend")]
    public MidiTargetDocument? Bend { get; set; }
}

internal sealed class MidiTargetDocument
{
    [JsonPropertyName("module")]
    public string? Module { get; set; }

    [JsonPropertyName("param")]
    public string? Param { get; set; }

    [JsonPropertyName("min")]
    public float? Min { get; set; }

    [JsonPropertyName("max")]
    public float? Max { get; set; }
}

/// <summary>Source-generated (no reflection), strict: an unknown field is an error, not ignored.</summary>
[JsonSourceGenerationOptions(UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow, ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip)]
[JsonSerializable(typeof(MidiMapDocument))]
internal sealed partial class MidiMapJsonContext : JsonSerializerContext;
