namespace Perpetuo.Control.Catalog;

/// <summary>
/// The module types and parameters the workers understand, as data. The supervisor validates every command and
/// patch against it without loading any DSP code.
/// </summary>
public sealed class ModuleCatalog
{
    private readonly Dictionary<string, ModuleTypeInfo> _types;
    private readonly IPluginTypes? _plugins;

    /// <param name="types">The built-in types.</param>
    /// <param name="plugins">The plugin types (<c>lv2:URI</c>), or null for none.</param>
    public ModuleCatalog(IEnumerable<ModuleTypeInfo> types, IPluginTypes? plugins = null)
    {
        _types = types.ToDictionary(t => t.Type, StringComparer.Ordinal);
        _plugins = plugins;
    }

    /// <summary>The built-in types, sorted by name.</summary>
    public IEnumerable<ModuleTypeInfo> Types => _types.Values.OrderBy(t => t.Type, StringComparer.Ordinal);

    /// <summary>The type called <paramref name="type"/>, or null.</summary>
    public ModuleTypeInfo? Find(string type) => Find(type, out _);

    /// <summary>The type called <paramref name="type"/>, or null with <paramref name="error"/>: why, and what is known.</summary>
    public ModuleTypeInfo? Find(string type, out string error)
    {
        ArgumentNullException.ThrowIfNull(type);
        error = "";
        if (_types.TryGetValue(type, out ModuleTypeInfo? t))
        {
            return t;
        }
        if (_plugins != null && _plugins.Claims(type))
        {
            ModuleTypeInfo? plugin = _plugins.Find(type, out string refusal);
            error = refusal;
            return plugin;
        }
        error = $"unknown module type \"{type}\"; known types: {KnownTypes}";
        return null;
    }

    /// <summary>
    /// Waits until the plugin types are known, when any of <paramref name="types"/> is one (a patch naming a plugin,
    /// before it is validated). Off the control thread only: reading the list takes about a second the first time.
    /// </summary>
    public void WaitForPlugins(IEnumerable<string> types)
    {
        ArgumentNullException.ThrowIfNull(types);
        if (_plugins != null && types.Any(_plugins.Claims))
        {
            _plugins.WaitReady(types.Where(_plugins.Claims));
        }
    }

    /// <summary>"osc, noise, ..., lv2:PLUGIN-URI (see perpetuo plugins)" for error messages.</summary>
    public string KnownTypes => string.Join(", ", Types.Select(t => t.Type)) + (_plugins != null ? ", " + _plugins.Hint : "");
}
