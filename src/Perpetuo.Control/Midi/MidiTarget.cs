namespace Perpetuo.Control.Midi;

/// <summary>
/// Where a MIDI controller goes: a module's parameter, the controller's 0..127 (or a pitch bend's 0..16383, centre 8192)
/// spread linearly over <paramref name="Min"/>..<paramref name="Max"/>.
/// </summary>
public sealed record MidiTarget(string Module, string Param, float Min, float Max)
{
    /// <summary>The parameter value for a 7-bit controller value.</summary>
    public float FromController(int value) => Min + ((Max - Min) * Math.Clamp(value, 0, 127) / 127f);

    /// <summary>The parameter value for a 14-bit pitch bend (0..16383, centre 8192).</summary>
    public float FromBend(int value) => Min + ((Max - Min) * Math.Clamp(value, 0, 16383) / 16383f);
}
