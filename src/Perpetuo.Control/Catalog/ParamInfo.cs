namespace Perpetuo.Control.Catalog;

/// <summary>A parameter a module type accepts, with its range and default.</summary>
/// <remarks>
/// The kind (<see cref="Integer"/>, <see cref="Toggle"/>, <see cref="Labels"/>) says what control a page draws; it
/// changes nothing in validation, which checks the range only (the DSP rounds an integer parameter itself).
/// </remarks>
public sealed record ParamInfo(string Name, float Min, float Max, float Default, string Description)
{
    /// <summary>Whole values only (a count, a note, an index): a stepper or a select, not a continuous slider.</summary>
    public bool Integer { get; init; }

    /// <summary>Off (0) or on (anything else): a switch.</summary>
    public bool Toggle { get; init; }

    /// <summary>Only some values mean something (LV2's lv2:enumeration), whether or not <see cref="Labels"/> names them.</summary>
    public bool Enumeration { get; init; }

    /// <summary>The names of the values <see cref="Min"/>, <see cref="Min"/> + 1, ... (an enumeration), or null.</summary>
    public IReadOnlyList<string>? Labels { get; init; }
}
