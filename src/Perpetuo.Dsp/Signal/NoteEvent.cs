namespace Perpetuo.Dsp;

/// <summary>A note event at <see cref="Frame"/> frames into the segment being rendered.</summary>
/// <param name="Frame">Frame within the current segment, 0-based.</param>
/// <param name="Kind">On, off or all-off.</param>
/// <param name="Note">MIDI note 0..127 (ignored for AllNotesOff).</param>
/// <param name="Velocity">0..1 for NoteOn.</param>
internal readonly record struct NoteEvent(int Frame, NoteEventKind Kind, int Note, float Velocity);
