namespace Perpetuo.Audio;

/// <summary>
/// Whatever takes the live input an output captured (a JACK server's capture ports, or a file played as the input):
/// in the engine, the supervisor's block reader, which hands it to both workers.
/// </summary>
/// <remarks>
/// Contract: called by the output's audio thread, once per block of captured input, in order, never concurrently
/// with itself or with <see cref="IBlockSource.TryFillBlock"/>. The same rules: no allocation, lock, wait or
/// system call but a wake-up.
/// </remarks>
public interface ILiveInputSink
{
    /// <summary>Takes the next block of input: BlockFrames * Channels interleaved samples, the engine's channels.</summary>
    /// <remarks>Audio thread only. Wait-free, allocation-free.</remarks>
    void TryPutInput(ReadOnlySpan<float> interleaved);
}
