using Perpetuo.Control.Journal;

namespace Perpetuo.Control.Commands;

/// <summary>
/// One validated command for the workers, in the journal's vocabulary (the kinds are numbered like the
/// transport's command kinds 1..7). The server turns each into a command record; <see cref="GraphModel"/> applies it.
/// </summary>
/// <param name="Kind">What to do.</param>
/// <param name="Id">Module id (SetParam, AddModule, RemoveModule), else empty.</param>
/// <param name="Name">Parameter name (SetParam) or module type (AddModule), else empty.</param>
/// <param name="Value">Parameter value, or MIDI note.</param>
/// <param name="Value2">Ramp seconds (SetParam), or velocity (NoteOn).</param>
public readonly record struct ControlCommand(JournalKind Kind, string Id, string Name, float Value, float Value2)
{
    public static ControlCommand SetParam(string id, string name, float value, float ramp = 0) => new(JournalKind.SetParam, id, name, value, ramp);

    public static ControlCommand AddModule(string type, string id) => new(JournalKind.AddModule, id, type, 0, 0);
}
