namespace Perpetuo.Control.Journal;

/// <summary>Kinds of journaled commands (same numbers as the transport's command kinds 1..7).</summary>
public enum JournalKind
{
    SetParam = 1,
    NoteOn = 2,
    NoteOff = 3,
    AllNotesOff = 4,
    AddModule = 5,
    RemoveModule = 6,
    ClearModules = 7,
}
