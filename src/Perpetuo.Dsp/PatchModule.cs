namespace Perpetuo.Dsp;

/// <summary>One module of a patch: what <see cref="ModuleHost.AddModule"/> takes.</summary>
/// <param name="Type">Module type.</param>
/// <param name="Id">Module id, unique in the patch.</param>
/// <param name="Params">Parameters that differ from the defaults.</param>
public sealed record PatchModule(string Type, string Id, IReadOnlyList<KeyValuePair<string, float>> Params);
