namespace Perpetuo.Audio;

/// <summary>Receives recorded blocks in play order, on a recorder's writer thread (never the audio thread).</summary>
/// <param name="interleaved">One whole block; valid only during the call.</param>
/// <param name="number">The block's callback number: 0 for the first block the output asked for, then 1, 2, ...</param>
public delegate void BlockSink(ReadOnlySpan<float> interleaved, long number);
