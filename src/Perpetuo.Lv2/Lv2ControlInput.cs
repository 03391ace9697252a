namespace Perpetuo.Lv2;

/// <summary>A control input port (a parameter), with the range and default the host uses.</summary>
/// <param name="PortIndex">The port's index in the plugin.</param>
/// <param name="Symbol">lv2:symbol.</param>
/// <param name="Name">lv2:name ("" when absent).</param>
/// <param name="Min">lv2:minimum, or 0 when absent.</param>
/// <param name="Max">lv2:maximum, or 1 when absent (above <see cref="Min"/> in any case).</param>
/// <param name="Default">lv2:default clamped into [Min, Max], or Min when absent.</param>
/// <param name="IsInteger">lv2:integer.</param>
/// <param name="IsToggled">lv2:toggled (0 off, anything else on).</param>
/// <param name="IsEnumeration">lv2:enumeration (only the scale points are meaningful).</param>
public sealed record Lv2ControlInput(
    int PortIndex, string Symbol, string Name, float Min, float Max, float Default, bool IsInteger, bool IsToggled, bool IsEnumeration)
{
    /// <summary><paramref name="value"/> clamped into [Min, Max]; NaN gives the default. Allocation-free.</summary>
    public float Clamp(float value) => float.IsNaN(value) ? Default : Math.Clamp(value, Min, Max);
}
