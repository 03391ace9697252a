namespace Perpetuo.Dsp;

/// <summary>
/// The module types this library provides, in a fixed order (the order of "list types" answers).
/// Lookups are linear ordinal comparisons over eight entries: no dictionary, so nothing depends on hash order.
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
    ];

    /// <summary>Every module type with its parameters.</summary>
    public static IReadOnlyList<ModuleDescriptor> Types => All;

    /// <summary>The descriptor of <paramref name="type"/>, or null if there is no such type.</summary>
    /// <remarks>Allocation-free.</remarks>
    public static ModuleDescriptor? Find(string type)
    {
        foreach (ModuleDescriptor d in All)
        {
            if (string.Equals(d.Type, type, StringComparison.Ordinal))
            {
                return d;
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
            _ => throw new DspException($"unknown module type \"{descriptor.Type}\"; known: {TypeNames}"),
        };
        m.Initialize(resetState: true);
        return m;
    }
}
