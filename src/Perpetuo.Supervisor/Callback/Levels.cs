using System.Numerics;

namespace Perpetuo.Supervisor.Callback;

/// <summary>Level measurements for meters and diagnostics. Allocation-free.</summary>
public static class Levels
{
    /// <summary>Root mean square of the samples (0 for an empty span).</summary>
    public static float Rms(ReadOnlySpan<float> samples)
    {
        if (samples.IsEmpty)
        {
            return 0;
        }
        var acc = Vector<float>.Zero;
        int i = 0;
        for (; i + Vector<float>.Count <= samples.Length; i += Vector<float>.Count)
        {
            var v = new Vector<float>(samples.Slice(i, Vector<float>.Count));
            acc += v * v;
        }
        float sum = Vector.Sum(acc);
        for (; i < samples.Length; i++)
        {
            sum += samples[i] * samples[i];
        }
        return MathF.Sqrt(sum / samples.Length);
    }
}
