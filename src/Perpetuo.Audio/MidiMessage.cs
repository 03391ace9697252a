namespace Perpetuo.Audio;

/// <summary>
/// One MIDI channel message as it arrived, stamped with the frame of the output stream it arrived at (frame 0 is the
/// first frame of block 0): sample accurate, whatever the period.
/// </summary>
public readonly record struct MidiMessage(long Frame, byte Status, byte Data1, byte Data2);
