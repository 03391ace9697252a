namespace Perpetuo.Control.Catalog;

/// <summary>A parameter a module type accepts, with its range and default.</summary>
public sealed record ParamInfo(string Name, float Min, float Max, float Default, string Description);
