namespace Perpetuo.Lv2;

/// <summary>One installed plugin as the catalog sees it: its ports, its needs, and whether Perpetuo can host it.</summary>
/// <param name="Uri">The plugin's URI, its identity.</param>
/// <param name="Name">doap:name ("" when absent).</param>
/// <param name="Ports">Every port, in index order.</param>
/// <param name="ControlInputs">The control inputs (parameters), in port order.</param>
/// <param name="RequiredFeatures">lv2:requiredFeature URIs, in lilv's order.</param>
/// <param name="Supported">Whether <see cref="Lv2Catalog.Instantiate"/> will host it.</param>
/// <param name="Reason">Why not ("" when supported): each obstacle, joined by "; ".</param>
public sealed record Lv2PluginInfo(
    string Uri,
    string Name,
    IReadOnlyList<Lv2Port> Ports,
    IReadOnlyList<Lv2ControlInput> ControlInputs,
    IReadOnlyList<string> RequiredFeatures,
    bool Supported,
    string Reason)
{
    /// <summary>lv2:minorVersion.lv2:microVersion, as the plugin's data says ("" when it says none).</summary>
    public string Version { get; init; } = "";

    /// <summary>The file of the plugin's shared library ("" when lilv names none).</summary>
    public string Library { get; init; } = "";

    /// <summary>The plugin's data gives it a default state (state:state) for the host to load before it runs (state:loadDefaultState).</summary>
    public bool HasDefaultState { get; init; }

    /// <summary>The index of the control output that reports the plugin's latency (lv2:reportsLatency), or -1.</summary>
    public int LatencyPort => Ports.FirstOrDefault(p => p.ReportsLatency)?.Index ?? -1;

    public int AudioInputs => Count(Lv2PortType.Audio, input: true);

    public int AudioOutputs => Count(Lv2PortType.Audio, input: false);

    public int ControlOutputs => Count(Lv2PortType.Control, input: false);

    public int CVPorts => Ports.Count(p => p.Type == Lv2PortType.CV);

    /// <summary>Atom and (old) event ports, both directions.</summary>
    public int AtomPorts => Ports.Count(p => p.Type is Lv2PortType.Atom or Lv2PortType.Event);

    /// <summary>
    /// Takes MIDI through an atom or event input: an instrument or a MIDI effect. Not hosted yet; marked so that it
    /// can be once the engine sends notes.
    /// </summary>
    public bool HasMidiInput => Ports.Any(p => p.IsInput && p.SupportsMidi);

    private int Count(Lv2PortType type, bool input) => Ports.Count(p => p.Type == type && p.IsInput == input);
}
