namespace Perpetuo.Control.Catalog;

/// <summary>
/// The module types and parameters the workers understand, as data. The supervisor validates every command and
/// patch against it without loading any DSP code.
/// </summary>
public sealed class ModuleCatalog
{
    private readonly Dictionary<string, ModuleTypeInfo> _types;

    public ModuleCatalog(IEnumerable<ModuleTypeInfo> types)
    {
        _types = types.ToDictionary(t => t.Type, StringComparer.Ordinal);
    }

    /// <summary>All types, sorted by name.</summary>
    public IEnumerable<ModuleTypeInfo> Types => _types.Values.OrderBy(t => t.Type, StringComparer.Ordinal);

    /// <summary>The type called <paramref name="type"/>, or null.</summary>
    public ModuleTypeInfo? Find(string type) => _types.GetValueOrDefault(type);

    /// <summary>"osc, noise, ..." for error messages.</summary>
    public string KnownTypes => string.Join(", ", Types.Select(t => t.Type));
}
