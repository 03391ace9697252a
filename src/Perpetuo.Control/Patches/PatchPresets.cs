using Perpetuo.Control.Catalog;
using Perpetuo.Protocol;

namespace Perpetuo.Control.Patches;

/// <summary>
/// Turns the presets a patch names into parameters, once, where the patch is loaded: a module's preset becomes its
/// <c>lv2:preset</c> parameter (the number: the workers restore the preset's own state with it) followed by the
/// preset's values, before the module's own parameters, which therefore win. Downstream — the workers' patch file,
/// the journal, `render --journal`, the supervisor's model — everything sees parameters only.
/// </summary>
public static class PatchPresets
{
    /// <summary>The patch, validated against <paramref name="catalog"/>, with every preset resolved.</summary>
    /// <exception cref="PatchException">The patch does not validate (an unknown preset among others).</exception>
    public static PatchSpec Resolve(PatchSpec patch, ModuleCatalog catalog, string source = "patch")
    {
        PatchValidator.Validate(patch, catalog, source);
        return new PatchSpec([.. patch.Modules.Select(m => m.Preset == null ? m : Expand(m, catalog.Find(m.Type)!))]);
    }

    /// <summary>The parameters that apply preset <paramref name="preset"/> to a module of <paramref name="type"/>.</summary>
    public static List<KeyValuePair<string, float>> Parameters(ModuleTypeInfo type, PresetInfo preset)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(preset);
        var ps = new List<KeyValuePair<string, float>> { new(PluginTypes.PresetParam, preset.Number) };
        foreach ((string name, float value) in preset.Values)
        {
            if (name != PluginTypes.PresetParam && type.Find(name) is { } p)
            {
                ps.Add(new(name, Math.Clamp(value, p.Min, p.Max)));
            }
        }
        return ps;
    }

    private static ModuleSpec Expand(ModuleSpec m, ModuleTypeInfo type) =>
        m with { Preset = null, Params = [.. Parameters(type, type.FindPreset(m.Preset!)!), .. m.Params] };
}
