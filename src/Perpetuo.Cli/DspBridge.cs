using Perpetuo.Control.Catalog;
using Perpetuo.Control.Patches;
using Perpetuo.Dsp;

namespace Perpetuo.Cli;

/// <summary>
/// The only place the CLI turns DSP metadata into control-side data: the module catalog and the default patch.
/// Static tables only — no module is instantiated in the supervisor process.
/// </summary>
public static class DspBridge
{
    /// <summary>Every module type the workers can build.</summary>
    public static ModuleCatalog Catalog { get; } = new(ModuleRegistry.Types.Select(Info));

    /// <summary>Every type, and the test-only <c>fault</c>: what play --allow-fault-injection and render accept.</summary>
    public static ModuleCatalog CatalogWithFaults { get; } = new(ModuleRegistry.Types.Concat(ModuleRegistry.TestOnlyTypes).Select(Info));

    /// <summary>The catalog of a session: with the test-only types only when fault injection was allowed, and the
    /// LV2 plugin types of <paramref name="plugins"/> when given.</summary>
    public static ModuleCatalog CatalogFor(bool faults, IPluginTypes? plugins = null) =>
        plugins == null ? (faults ? CatalogWithFaults : Catalog)
                        : new(ModuleRegistry.Types.Concat(faults ? ModuleRegistry.TestOnlyTypes : []).Select(Info), plugins);

    private static ModuleTypeInfo Info(ModuleDescriptor t) =>
        new(t.Type, t.Description, t.Params.Select(p => new Control.Catalog.ParamInfo(p.Name, p.Min, p.Max, p.Default, p.Description)
        {
            Integer = p.Integer,
            Toggle = p.Integer && p.Min == 0 && p.Max == 1,
            Labels = p.Labels,
        }).ToList());

    /// <summary>The built-in patch used when no --patch is given.</summary>
    public static PatchSpec DefaultPatch { get; } = new(Dsp.DefaultPatch.Modules
        .Select(m => new ModuleSpec(m.Type, m.Id, m.Params.ToList())).ToList());

    /// <summary>
    /// The patch from <paramref name="path"/>, validated against the types of a session (the test-only ones with
    /// <paramref name="faults"/>; plugin types from <paramref name="plugins"/>, whose scan is started and awaited when
    /// the patch names a plugin), or the default patch; its presets resolved into parameters (<see cref="PatchPresets"/>).
    /// </summary>
    public static PatchSpec LoadPatch(string? path, bool faults = false, Lv2PluginTypes? plugins = null)
    {
        if (path == null)
        {
            return DefaultPatch;
        }
        PatchSpec patch = PatchFile.Load(path);
        if (plugins == null && patch.Modules.Any(m => Lv2Modules.IsPlugin(m.Type)))
        {
            plugins = new Lv2PluginTypes(); // render: its own list
        }
        ModuleCatalog catalog = CatalogFor(faults, plugins);
        catalog.WaitForPlugins(patch.Modules.Select(m => m.Type));
        return PatchPresets.Resolve(patch, catalog, path); // validated, its presets made parameters
    }
}
