using Perpetuo.Control.Journal;
using Perpetuo.Protocol;

namespace Perpetuo.Control.Commands;

/// <summary>
/// One validated command for the workers (a DSP <see cref="CommandKind"/>, the one definition every process and
/// the journal share). The server turns each into a command record; <see cref="GraphModel"/> applies it.
/// </summary>
/// <param name="Kind">What to do.</param>
/// <param name="Id">Module id (SetParam, AddModule, RemoveModule), else empty.</param>
/// <param name="Name">Parameter name (SetParam) or module type (AddModule), else empty.</param>
/// <param name="Value">Parameter value, or MIDI note.</param>
/// <param name="Value2">Ramp seconds (SetParam), or velocity (NoteOn).</param>
public readonly record struct ControlCommand(CommandKind Kind, string Id, string Name, float Value, float Value2)
{
    public static ControlCommand SetParam(string id, string name, float value, float ramp = 0) => new(CommandKind.SetParam, id, name, value, ramp);

    public static ControlCommand AddModule(string type, string id) => new(CommandKind.AddModule, id, type, 0, 0);

    /// <summary>The name its command record carries: a plugin type too long for the record travels hashed (<see cref="PluginTypes"/>).</summary>
    public string RecordName => Kind == CommandKind.AddModule ? PluginTypes.ForRecord(Name) : Name;
}
