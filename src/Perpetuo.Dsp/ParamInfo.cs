namespace Perpetuo.Dsp;

/// <summary>One parameter in a "list modules" answer.</summary>
/// <param name="Name">Parameter name.</param>
/// <param name="Value">Value it is set to (ramp target).</param>
/// <param name="Current">Value it has now (differs from Value while ramping).</param>
/// <param name="Min">Smallest accepted value.</param>
/// <param name="Max">Largest accepted value.</param>
public readonly record struct ParamInfo(string Name, float Value, float Current, float Min, float Max);
