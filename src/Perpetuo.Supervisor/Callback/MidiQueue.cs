using Perpetuo.Audio;

namespace Perpetuo.Supervisor.Callback;

/// <summary>
/// MIDI messages from the audio callback to the control thread (see <see cref="SpscRing{T}"/> for the design). Full
/// policy: a message is dropped and counted, and the control thread answers any drop with all-notes-off, so a lost
/// note-off never leaves a note hanging.
/// </summary>
public sealed class MidiQueue(int capacityPow2 = 1024) : SpscRing<MidiMessage>(capacityPow2) // a keyboard's busiest second, many times over between two ticks
{
    /// <summary>Adds a message or counts it as dropped.</summary>
    /// <remarks>Audio thread only. Wait-free, allocation-free.</remarks>
    public void TryPost(in MidiMessage m) => TryWrite(m);
}
