namespace Perpetuo.Audio;

/// <summary>
/// Whatever produces the audio an output plays: in the engine, the supervisor's block reader.
/// </summary>
/// <remarks>
/// Contract: <see cref="TryFillBlock"/> is called by the output's own thread (a managed pacing thread, or a native
/// thread of JACK or PortAudio), once per block, never concurrently with itself. It must not allocate, lock, block
/// or make a system call.
/// </remarks>
public interface IBlockSource
{
    /// <summary>Writes exactly one block (BlockFrames * Channels interleaved float samples) into <paramref name="interleaved"/>.</summary>
    /// <remarks>Audio thread only. Wait-free, allocation-free. Always fills the buffer (silence if it has nothing).</remarks>
    void TryFillBlock(Span<float> interleaved);
}
