namespace Perpetuo.Control.Patches;

/// <summary>One module of a patch: its type, its id (unique in the patch) and the parameters it sets.</summary>
public sealed record ModuleSpec(string Type, string Id, IReadOnlyList<KeyValuePair<string, float>> Params)
{
    /// <summary>
    /// An LV2 plugin's preset, by URI or number, as the patch file names it; null for none. A patch is resolved
    /// (<see cref="PatchPresets.Resolve"/>) before it is used: the preset becomes parameters, first in <see cref="Params"/>.
    /// </summary>
    public string? Preset { get; init; }

    /// <summary>An LV2 plugin's own saved state, as JSON (Perpetuo.Lv2.Lv2State's form); null for none.</summary>
    public string? State { get; init; }
}
