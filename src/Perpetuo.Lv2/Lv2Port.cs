namespace Perpetuo.Lv2;

/// <summary>One port of a plugin, as its description declares it.</summary>
/// <param name="Index">The port's index, the number connect_port takes.</param>
/// <param name="Symbol">lv2:symbol, unique within the plugin and stable across versions.</param>
/// <param name="Name">lv2:name, for people ("" when absent).</param>
/// <param name="Type">What it carries.</param>
/// <param name="IsInput">lv2:InputPort (else lv2:OutputPort).</param>
/// <param name="IsOptional">lv2:connectionOptional: the host may connect it to NULL.</param>
/// <param name="SupportsMidi">An atom or event port that declares atom:supports midi:MidiEvent.</param>
public sealed record Lv2Port(int Index, string Symbol, string Name, Lv2PortType Type, bool IsInput, bool IsOptional, bool SupportsMidi)
{
    /// <summary>rsz:minimumSize: the bytes an atom port's buffer must at least have (0 when it says none).</summary>
    public long MinimumSize { get; init; }

    /// <summary>
    /// An atom port whose atom:bufferType is atom:Sequence, or that names none (every installed plugin's atom port
    /// is a sequence): the only buffer type Perpetuo connects.
    /// </summary>
    public bool IsSequence { get; init; } = true;

    /// <summary>A control output that reports the plugin's latency in frames (lv2:reportsLatency or lv2:designation lv2:latency).</summary>
    public bool ReportsLatency { get; init; }
}
