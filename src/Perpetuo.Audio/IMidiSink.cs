namespace Perpetuo.Audio;

/// <summary>Whatever takes the MIDI an output captured (JACK's MIDI input port): in the engine, the block reader.</summary>
/// <remarks>Contract: the audio thread, in arrival order, same rules as <see cref="ILiveInputSink"/>.</remarks>
public interface IMidiSink
{
    /// <summary>Takes one message.</summary>
    /// <remarks>Audio thread only. Wait-free, allocation-free.</remarks>
    void TryPutMidi(in MidiMessage message);
}
