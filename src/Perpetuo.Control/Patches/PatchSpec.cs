namespace Perpetuo.Control.Patches;

/// <summary>A patch: modules in chain order. Data only: building the modules is the worker's business.</summary>
public sealed record PatchSpec(IReadOnlyList<ModuleSpec> Modules);
