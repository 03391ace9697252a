using Perpetuo.Control.Catalog;
using Perpetuo.Protocol;

namespace Perpetuo.Control.Patches;

/// <summary>Checks a patch against the catalog: known types, unique ids, known parameters, values in range.</summary>
public static class PatchValidator
{
    /// <summary>Throws a <see cref="PatchException"/> naming the module, field and problem.</summary>
    public static void Validate(PatchSpec patch, ModuleCatalog catalog, string source = "patch")
    {
        ArgumentNullException.ThrowIfNull(patch);
        ArgumentNullException.ThrowIfNull(catalog);
        if (patch.Modules.Count > Limits.MaxModules)
        {
            throw new PatchException($"{source}: {patch.Modules.Count} modules; a chain holds at most {Limits.MaxModules}");
        }
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < patch.Modules.Count; i++)
        {
            ModuleSpec m = patch.Modules[i];
            string where = $"{source}: modules[{i}] (id \"{m.Id}\")";
            ModuleTypeInfo type = catalog.Find(m.Type, out string unknown) ?? throw new PatchException($"{where}.type: {unknown}");
            string? idError = Names.CheckId(m.Id);
            if (idError != null)
            {
                throw new PatchException($"{where}.id: {idError}");
            }
            if (!ids.Add(m.Id))
            {
                throw new PatchException($"{where}.id: duplicate module id \"{m.Id}\"");
            }
            foreach (var p in m.Params)
            {
                string? error = CheckParam(type, p.Key, p.Value);
                if (error != null)
                {
                    throw new PatchException($"{where}.params.{p.Key}: {error}");
                }
            }
            if (m.Preset != null && type.FindPreset(m.Preset) == null)
            {
                throw new PatchException($"{where}.preset: {UnknownPreset(type, m.Preset)}");
            }
            if (m.State != null && !PluginTypes.IsPlugin(m.Type))
            {
                throw new PatchException($"{where}.state: only an LV2 plugin keeps a state of its own");
            }
        }
    }

    /// <summary>Why <paramref name="preset"/> names none of <paramref name="type"/>'s presets, with the first few it has.</summary>
    public static string UnknownPreset(ModuleTypeInfo type, string preset)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (type.Presets.Count == 0)
        {
            return $"module type \"{type.Type}\" has no presets";
        }
        string known = string.Join(", ", type.Presets.Take(5).Select(p => $"{p.Number} {p.Uri} (\"{p.Label}\")"));
        return $"unknown preset \"{preset}\" of module type \"{type.Type}\"; it has {type.Presets.Count}: {known}" +
               (type.Presets.Count > 5 ? ", ... (perpetuo plugins URI lists them)" : "");
    }

    /// <summary>Null if <paramref name="value"/> is acceptable for parameter <paramref name="name"/> of <paramref name="type"/>, else why not.</summary>
    public static string? CheckParam(ModuleTypeInfo type, string name, float value)
    {
        ArgumentNullException.ThrowIfNull(type);
        ParamInfo? p = type.Find(name);
        if (p == null)
        {
            return $"unknown parameter \"{name}\" of module type \"{type.Type}\"; known: {string.Join(", ", type.Params.Select(x => x.Name))}";
        }
        if (!float.IsFinite(value))
        {
            return $"value must be a finite number, got {value}";
        }
        if (value < p.Min || value > p.Max)
        {
            return $"value {PatchFile.Format(value)} is out of range [{PatchFile.Format(p.Min)}, {PatchFile.Format(p.Max)}]";
        }
        return null;
    }
}
