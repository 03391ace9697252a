namespace Perpetuo.Dsp;

/// <summary>Kind of a <see cref="NoteEvent"/>.</summary>
internal enum NoteEventKind : byte
{
    NoteOn = 1,
    NoteOff = 2,
    AllNotesOff = 3,
}
