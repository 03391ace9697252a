namespace Perpetuo.Dsp;

/// <summary>
/// One parameter of a module type. Every parameter is a float in [<paramref name="Min"/>, <paramref name="Max"/>];
/// enum-like parameters (wave, mode) are integers, documented in <paramref name="Description"/>.
/// </summary>
/// <param name="Name">Name used in commands and patches (case-sensitive).</param>
/// <param name="Min">Smallest accepted value.</param>
/// <param name="Max">Largest accepted value.</param>
/// <param name="Default">Value a new module starts with.</param>
/// <param name="Description">One line for humans, including the unit.</param>
public sealed record ParamDescriptor(string Name, float Min, float Max, float Default, string Description)
{
    /// <summary>True when changes glide (linear ramp, at least a few ms) instead of jumping.</summary>
    public bool Smoothed { get; init; }

    /// <summary>True when values are rounded to the nearest integer (enum-like and count parameters).</summary>
    public bool Integer { get; init; }

    /// <summary>The names of the values Min, Min + 1, ... of an enum-like parameter (for a page's select), or null.</summary>
    public IReadOnlyList<string>? Labels { get; init; }

    /// <summary>Continuous parameter whose changes are de-zippered.</summary>
    internal static ParamDescriptor Smooth(string name, float min, float max, float def, string description) =>
        new(name, min, max, def, description) { Smoothed = true };

    /// <summary>Integer parameter applied immediately.</summary>
    internal static ParamDescriptor Int(string name, float min, float max, float def, string description) =>
        new(name, min, max, def, description) { Integer = true };

    /// <summary>Enum-like integer parameter from 0, one label per value, applied immediately.</summary>
    internal static ParamDescriptor Choice(string name, float def, string description, params string[] labels) =>
        new(name, 0, labels.Length - 1, def, description) { Integer = true, Labels = labels };

    /// <summary>Continuous parameter applied immediately (times, probabilities).</summary>
    internal static ParamDescriptor Plain(string name, float min, float max, float def, string description) =>
        new(name, min, max, def, description);
}
