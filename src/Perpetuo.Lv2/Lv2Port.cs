namespace Perpetuo.Lv2;

/// <summary>One port of a plugin, as its description declares it.</summary>
/// <param name="Index">The port's index, the number connect_port takes.</param>
/// <param name="Symbol">lv2:symbol, unique within the plugin and stable across versions.</param>
/// <param name="Name">lv2:name, for people ("" when absent).</param>
/// <param name="Type">What it carries.</param>
/// <param name="IsInput">lv2:InputPort (else lv2:OutputPort).</param>
/// <param name="IsOptional">lv2:connectionOptional: the host may connect it to NULL.</param>
/// <param name="SupportsMidi">An atom or event port that declares atom:supports midi:MidiEvent.</param>
public sealed record Lv2Port(int Index, string Symbol, string Name, Lv2PortType Type, bool IsInput, bool IsOptional, bool SupportsMidi);
