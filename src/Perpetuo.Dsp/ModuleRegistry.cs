namespace Perpetuo.Dsp;

/// <summary>
/// The module types this library provides, in a fixed order (the order of "list types" answers).
/// Lookups are linear ordinal comparisons over nine entries: no dictionary, so nothing depends on hash order.
/// </summary>
public static class ModuleRegistry
{
    private static readonly ModuleDescriptor[] All =
    [
        OscModule.TypeDescriptor,
        NoiseModule.TypeDescriptor,
        AdsrModule.TypeDescriptor,
        FilterModule.TypeDescriptor,
        GainModule.TypeDescriptor,
        PanModule.TypeDescriptor,
        SeqModule.TypeDescriptor,
        SynthModule.TypeDescriptor,
        InputModule.TypeDescriptor,
    ];

    // Test-only types: a host builds them only when told to (ModuleHost.AllowFaultModules).
    private static readonly ModuleDescriptor[] TestOnly = [FaultModule.TypeDescriptor];

    /// <summary>Every module type with its parameters.</summary>
    public static IReadOnlyList<ModuleDescriptor> Types => All;

    /// <summary>The test-only types (<c>fault</c>), offered only by `play --allow-fault-injection`.</summary>
    public static IReadOnlyList<ModuleDescriptor> TestOnlyTypes => TestOnly;

    /// <summary>The descriptor of <paramref name="type"/>, or null if there is no such type (or it is test-only and
    /// <paramref name="allowTestOnly"/> is false).</summary>
    /// <remarks>Allocation-free.</remarks>
    public static ModuleDescriptor? Find(string type, bool allowTestOnly = false)
    {
        foreach (ModuleDescriptor d in All)
        {
            if (string.Equals(d.Type, type, StringComparison.Ordinal))
            {
                return d;
            }
        }

        if (Lv2Modules.IsPlugin(type))
        {
            return Lv2Modules.Find(type);
        }

        if (allowTestOnly)
        {
            foreach (ModuleDescriptor d in TestOnly)
            {
                if (string.Equals(d.Type, type, StringComparison.Ordinal))
                {
                    return d;
                }
            }
        }

        return null;
    }

    /// <summary>Comma-separated type names, for error messages.</summary>
    internal static string TypeNames => string.Join(", ", All.Select(d => d.Type));

    /// <summary>Creates a configured module with default parameters and fresh state. Allocates.</summary>
    internal static Module Create(ModuleDescriptor descriptor, string id, in ModuleContext context)
    {
        Module m = descriptor.Type switch
        {
            "osc" => new OscModule(id, context),
            "noise" => new NoiseModule(id, context),
            "adsr" => new AdsrModule(id, context),
            "filter" => new FilterModule(id, context),
            "gain" => new GainModule(id, context),
            "pan" => new PanModule(id, context),
            "seq" => new SeqModule(id, context),
            "synth" => new SynthModule(id, context),
            "input" => new InputModule(id, context),
            "fault" => new FaultModule(id, context),
            _ when Lv2Modules.IsPlugin(descriptor.Type) => new Lv2Module(descriptor, id, context),
            _ => throw new DspException($"unknown module type \"{descriptor.Type}\"; known: {TypeNames}"),
        };
        m.Initialize(resetState: true);
        return m;
    }
}
