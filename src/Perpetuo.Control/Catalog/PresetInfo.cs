namespace Perpetuo.Control.Catalog;

/// <summary>A preset of a plugin module type, as data: what the supervisor expands a patch's or a request's preset into.</summary>
/// <param name="Number">Its number, from 1 (the module's <c>lv2:preset</c> parameter takes it).</param>
/// <param name="Uri">Its URI.</param>
/// <param name="Label">Its label ("" when it has none).</param>
/// <param name="HasState">It holds plugin state beyond its parameters (the workers restore it with the number).</param>
/// <param name="Values">The parameters it sets.</param>
public sealed record PresetInfo(int Number, string Uri, string Label, bool HasState, IReadOnlyDictionary<string, float> Values);
