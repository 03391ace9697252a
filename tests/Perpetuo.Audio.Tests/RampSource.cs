using Perpetuo.Audio;

namespace Perpetuo.Audio.Tests;

/// <summary>
/// A deterministic source: frame f of channel c is <see cref="Sample"/>(f, c), a ramp that never hits zero and
/// repeats only every 2^20 frames (22 s at 48 kHz), so any recorded stretch can be aligned from one sample.
/// </summary>
internal sealed class RampSource(int channels, int blockFrames) : IBlockSource
{
    internal const int Period = 1 << 20;

    private long _frame;

    public long FramesRendered => Volatile.Read(ref _frame);

    /// <summary>Exact in float32: (k + 1) / 2^21 for k below 2^20 needs 21 significant bits.</summary>
    public static float Sample(long frame, int channel)
    {
        float v = ((frame % Period) + 1) / (float)(Period * 2);
        return channel % 2 == 0 ? v : -v;
    }

    /// <summary>The frame index a channel-0 sample came from (modulo <see cref="Period"/>).</summary>
    public static long FrameOf(float channel0Sample) => (long)Math.Round(channel0Sample * Period * 2) - 1;

    public void TryFillBlock(Span<float> interleaved)
    {
        long frame = _frame;
        for (int i = 0; i < blockFrames; i++, frame++)
        {
            for (int c = 0; c < channels; c++)
            {
                interleaved[(i * channels) + c] = Sample(frame, c);
            }
        }

        Volatile.Write(ref _frame, frame);
    }
}
