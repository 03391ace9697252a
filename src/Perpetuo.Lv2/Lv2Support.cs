using Perpetuo.Protocol;

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
        [Lv2Uris.UridMap, Lv2Uris.UridUnmap, Lv2Uris.Options, Lv2Uris.BoundedBlockLength, Lv2Uris.WorkerSchedule,
         Lv2Uris.StateMapPath, Lv2Uris.StateFreePath, Lv2Uris.StateLoadDefaultState];

    /// <summary>
    /// Required "features" that are promises about the host's behaviour, kept without passing anything: Perpetuo never
    /// connects an input and an output to the same buffer (inPlaceBroken), and hardRTCapable constrains the plugin.
    /// </summary>
    public static IReadOnlyList<string> HonouredFeatures { get; } = [Lv2Uris.InPlaceBroken, Lv2Uris.HardRTCapable];

    /// <summary>
    /// Whether a plugin with these required features and ports can be hosted, and every reason why not ("" when it
    /// can), in words a musician understands: an unprovided feature, or a port Perpetuo cannot connect that is not
    /// lv2:connectionOptional (an atom port that is not a sequence or asks for more than
    /// <see cref="Limits.PluginAtomPortMaxBytes"/>, an old event port, a port of an unknown type).
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
            if (p.Type is Lv2PortType.Audio or Lv2PortType.Control or Lv2PortType.CV || CanConnect(p) || p.IsOptional)
            {
                continue;
            }
            string which = $"(port {p.Index} '{p.Symbol}')";
            reasons.Add(p.Type switch
            {
                Lv2PortType.Atom when !p.IsSequence => $"its atom port {which} takes a single value, not a sequence of events, which Perpetuo does not connect",
                Lv2PortType.Atom => $"its atom port {which} asks for a buffer of {Bytes(p.MinimumSize)}, more than Perpetuo gives ({Bytes(Limits.PluginAtomPortMaxBytes)})",
                Lv2PortType.Event => $"it uses LV2's old event port {which} (ev:EventPort, replaced by atom ports in 2012), which Perpetuo does not connect",
                _ => $"a port of a type Perpetuo does not know {which}",
            });
        }
        return (reasons.Count == 0, string.Join("; ", reasons));
    }

    /// <summary>True for an atom port Perpetuo connects: a sequence whose minimum size is within <see cref="Limits.PluginAtomPortMaxBytes"/>.</summary>
    public static bool CanConnect(Lv2Port port)
    {
        ArgumentNullException.ThrowIfNull(port);
        return port.Type == Lv2PortType.Atom && port.IsSequence && port.MinimumSize <= Limits.PluginAtomPortMaxBytes;
    }

    /// <summary>
    /// Bytes of an atom port's buffer: <see cref="Limits.PluginAtomBytes"/>, or the port's minimum size when larger; a
    /// MIDI input also holds <paramref name="midiEvents"/> 3-byte MIDI events (24 bytes each) after its header.
    /// </summary>
    public static int AtomBufferBytes(Lv2Port port, int midiEvents)
    {
        ArgumentNullException.ThrowIfNull(port);
        long bytes = Math.Max(Limits.PluginAtomBytes, port.MinimumSize);
        if (port.IsInput && port.SupportsMidi)
        {
            bytes = Math.Max(bytes, Lv2AtomBuffer.HeaderBytes + (24L * midiEvents));
        }
        return (int)Math.Min(bytes, Limits.PluginAtomPortMaxBytes);
    }

    private static string Bytes(long bytes) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{bytes:N0} bytes");

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
}
