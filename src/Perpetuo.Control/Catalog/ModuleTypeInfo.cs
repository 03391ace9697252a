namespace Perpetuo.Control.Catalog;

/// <summary>A module type the workers can build, and its parameters.</summary>
public sealed record ModuleTypeInfo(string Type, string Description, IReadOnlyList<ParamInfo> Params)
{
    /// <summary>A plugin type's presets, in order of number (none for the built-in types).</summary>
    public IReadOnlyList<PresetInfo> Presets { get; init; } = [];

    /// <summary>A plugin type's latency as it reported it at its defaults (lv2:reportsLatency), in frames; null when it reports none.</summary>
    public float? LatencyFrames { get; init; }

    /// <summary>The preset named by its URI or its number ("3"), or null.</summary>
    public PresetInfo? FindPreset(string uriOrNumber) =>
        Presets.FirstOrDefault(p => p.Uri == uriOrNumber || p.Number.ToString(System.Globalization.CultureInfo.InvariantCulture) == uriOrNumber);

    /// <summary>The parameter called <paramref name="name"/>, or null.</summary>
    public ParamInfo? Find(string name)
    {
        for (int i = 0; i < Params.Count; i++) // indexed: a foreach over the interface would allocate its enumerator, per command
        {
            if (Params[i].Name == name)
            {
                return Params[i];
            }
        }
        return null;
    }
}
