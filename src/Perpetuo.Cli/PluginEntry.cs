using Perpetuo.Control.Catalog;

namespace Perpetuo.Cli;

/// <summary>One installed plugin as a module type: its name, and its type when it can be hosted, else why not.</summary>
public sealed record PluginEntry(string Type, string Name, ModuleTypeInfo? Info, string Refusal);
