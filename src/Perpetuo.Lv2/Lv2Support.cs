namespace Perpetuo.Lv2;

/// <summary>
/// The host's pure decisions about a plugin description: which features Perpetuo provides, whether a plugin can be
/// hosted and why not, and the range a control port gets when its description leaves something out.
/// </summary>
public static class Lv2Support
{
    /// <summary>
    /// The features passed to every instance. Not bufsz:fixedBlockLength nor bufsz:powerOf2BlockLength: a block is
    /// split at command offsets into shorter runs of any length up to the maximum.
    /// </summary>
    public static IReadOnlyList<string> ProvidedFeatures { get; } =
        [Lv2Uris.UridMap, Lv2Uris.UridUnmap, Lv2Uris.Options, Lv2Uris.BoundedBlockLength];

    /// <summary>
    /// Required "features" that are promises about the host's behaviour, kept without passing anything: Perpetuo never
    /// connects an input and an output to the same buffer (inPlaceBroken), and hardRTCapable constrains the plugin.
    /// </summary>
    public static IReadOnlyList<string> HonouredFeatures { get; } = [Lv2Uris.InPlaceBroken, Lv2Uris.HardRTCapable];

    /// <summary>
    /// Whether a plugin with these required features and ports can be hosted, and every reason why not ("" when it
    /// can): an unprovided feature, or a port Perpetuo cannot connect that is not lv2:connectionOptional (CV, atom,
    /// event and unknown ports; a MIDI input is named as such).
    /// </summary>
    public static (bool Supported, string Reason) Decide(IEnumerable<string> requiredFeatures, IEnumerable<Lv2Port> ports)
    {
        ArgumentNullException.ThrowIfNull(requiredFeatures);
        ArgumentNullException.ThrowIfNull(ports);
        var reasons = new List<string>();
        foreach (string feature in requiredFeatures)
        {
            if (!ProvidedFeatures.Contains(feature, StringComparer.Ordinal) && !HonouredFeatures.Contains(feature, StringComparer.Ordinal))
            {
                reasons.Add($"requires feature {feature} which Perpetuo does not provide");
            }
        }
        foreach (Lv2Port p in ports)
        {
            if (p.Type is Lv2PortType.Audio or Lv2PortType.Control || p.IsOptional)
            {
                continue;
            }
            string direction = p.IsInput ? "input" : "output";
            reasons.Add(p.SupportsMidi && p.IsInput
                ? $"MIDI input (port {p.Index} '{p.Symbol}'): instruments are not hosted yet"
                : $"{Describe(p.Type)} {direction} (port {p.Index} '{p.Symbol}') is not connected by Perpetuo yet");
        }
        return (reasons.Count == 0, string.Join("; ", reasons));
    }

    /// <summary>
    /// The (min, max, default) a control input gets from what its description gives (null: absent or not a
    /// number): min 0, max 1 (min + 1 when min is at least 1), default min, default clamped into the range; bounds
    /// given the wrong way round are swapped.
    /// </summary>
    public static (float Min, float Max, float Default) Range(float? min, float? max, float? def)
    {
        float lo = Finite(min) ?? 0f;
        float hi = Finite(max) ?? (lo < 1f ? 1f : lo + 1f);
        if (hi < lo)
        {
            (lo, hi) = (hi, lo);
        }
        float d = Finite(def) ?? lo;
        return (lo, hi, Math.Clamp(d, lo, hi));
    }

    private static float? Finite(float? v) => v is { } x && float.IsFinite(x) ? x : null;

    private static string Describe(Lv2PortType type) => type switch
    {
        Lv2PortType.CV => "CV port",
        Lv2PortType.Atom => "atom port",
        Lv2PortType.Event => "event port",
        _ => "port of unknown type",
    };
}
