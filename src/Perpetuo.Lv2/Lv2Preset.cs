namespace Perpetuo.Lv2;

/// <summary>One of a plugin's presets (pset:Preset), as its data describes it.</summary>
/// <param name="Number">Its number among the plugin's presets, from 1, in order of URI: what a module's
/// <c>lv2:preset</c> parameter says.</param>
/// <param name="Uri">The preset's URI, its identity.</param>
/// <param name="Label">rdfs:label ("" when absent).</param>
/// <param name="Values">The control inputs it sets (symbol, value), in the order its data gives them.</param>
/// <param name="HasState">It also holds plugin state beyond its port values (an impulse response's file, a program):
/// restored through the plugin's state interface.</param>
public sealed record Lv2Preset(int Number, string Uri, string Label, IReadOnlyList<KeyValuePair<string, float>> Values, bool HasState);
