namespace Perpetuo.Control.Patches;

/// <summary>One module of a patch: its type, its id (unique in the patch) and the parameters it sets.</summary>
public sealed record ModuleSpec(string Type, string Id, IReadOnlyList<KeyValuePair<string, float>> Params);
