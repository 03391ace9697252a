namespace Perpetuo.Dsp;

/// <summary>
/// The live input of the block being rendered: what <c>input</c> modules mix into the chain. Whoever drives the
/// host sets it before each block (a worker from its region's input ring, block N from input N; <c>render</c> from a
/// file or the journal's input); a host nobody feeds hears silence.
/// </summary>
/// <remarks>
/// Design: one block of interleaved samples, the engine's channels, sized once; <see cref="Set"/> copies, and pads
/// a short block with silence, so a module never reads past what was given. The host tells it which frame of the
/// block the current segment starts at (a command mid-block splits the block), so every segment reads its own
/// frames. Not part of snapshots: the input is not state, it is replayed with the block it belongs to.
/// Render thread only; allocation-free after construction.
/// </remarks>
public sealed class LiveInput
{
    private readonly float[] _block;
    private readonly int _channels;

    internal LiveInput(int channels, int maxBlockFrames)
    {
        _channels = channels;
        _block = new float[channels * maxBlockFrames];
    }

    /// <summary>The frame of the block the running segment starts at (set by the host).</summary>
    internal int SegmentFrame { get; set; }

    /// <summary>The next block's input, interleaved; frames it lacks are silence. Longer input is an error.</summary>
    public void Set(ReadOnlySpan<float> interleaved)
    {
        if (interleaved.Length > _block.Length || interleaved.Length % _channels != 0)
        {
            throw new ArgumentException($"an input block of {interleaved.Length} samples does not fit {_block.Length / _channels} frames of {_channels} channels",
                                        nameof(interleaved));
        }
        interleaved.CopyTo(_block);
        _block.AsSpan(interleaved.Length).Clear();
    }

    /// <summary>Silence for the next block.</summary>
    public void Clear() => Array.Clear(_block);

    /// <summary>The running segment's input: <paramref name="frames"/> frames from <see cref="SegmentFrame"/>.</summary>
    internal ReadOnlySpan<float> Segment(int frames) => _block.AsSpan(SegmentFrame * _channels, frames * _channels);
}
