namespace Perpetuo.Control.Catalog;

/// <summary>
/// Module types that come from installed plugins (<c>lv2:URI</c>), as data: the supervisor never loads a plugin. A
/// type is found, or refused with a reason a musician understands (not installed, not replicable, the list is
/// still being read).
/// </summary>
public interface IPluginTypes
{
    /// <summary>
    /// The end of a refusal that is not final: the plugin is being looked up (about a second, the first time a session
    /// names it), and the same request will be answered once it is. A client (the web page) may send it again.
    /// </summary>
    const string SendAgain = "send the request again";

    /// <summary>True when <paramref name="type"/> names a plugin type (whether or not it is installed).</summary>
    bool Claims(string type);

    /// <summary>The plugin type, or null with <paramref name="refusal"/> saying why it cannot be used.</summary>
    ModuleTypeInfo? Find(string type, out string refusal);

    /// <summary>
    /// Reads the plugin list now if it is not read yet, and checks the plugin types among <paramref name="types"/>
    /// that are not checked yet, and waits for both (bounded). Never on the control thread.
    /// </summary>
    void WaitReady(IEnumerable<string> types);

    /// <summary>How the types are named, for error messages ("lv2:PLUGIN-URI (see perpetuo plugins)").</summary>
    string Hint { get; }
}
