using System.Runtime.CompilerServices;

namespace Perpetuo.Dsp;

/// <summary>
/// The output safety stage: a stateless soft clipper with a hard ceiling, the last thing every rendered block goes
/// through (<see cref="ModuleHost.ProcessChain"/>), in the workers and in the reference render alike.
/// </summary>
/// <remarks>
/// Design: a sample at or below <see cref="Threshold"/> (-3 dBFS) in magnitude passes unchanged, bit for bit, so a
/// patch that stays below it sounds (and hashes) exactly as it did without the stage. Above it, the excess is
/// bent into the knee <c>y = C - (C - T) / (1 + (|x| - T) / (C - T))</c> with the sign of x: its slope is 1 at T
/// (no corner in the curve, hence no click when a signal crosses it), it rises monotonically and approaches
/// <see cref="Ceiling"/> (-0.3 dBFS) without reaching it. A final clamp to ±<see cref="Ceiling"/> makes the
/// ceiling a guarantee whatever float rounding does; the form above also keeps an infinite excess finite
/// (1 / ∞ = 0, so y = C, never ∞ / ∞ = NaN).
/// Why a clipper and not a look-ahead limiter: it is a safety net against runaway patches, not a mastering tool.
/// Having no state, it needs no room in snapshots, adds no latency, cannot differ between a replica that started
/// from a snapshot and one that did not, and its result depends on each sample alone, not on how blocks are split.
/// It is plain IEEE arithmetic (no tanh or exp from a math library), so every process on every machine computes
/// the same bits. It distorts what reaches the knee; a patch that hits it is too hot, and status reports that.
/// </remarks>
public static class SafetyClipper
{
    /// <summary>The documented output ceiling: 10^(-0.3/20) ≈ 0.966 (-0.3 dBFS). No sample ever exceeds it in magnitude while the stage is on.</summary>
    public const float Ceiling = 0.966f;

    /// <summary>Magnitudes up to this (10^(-3/20) ≈ 0.708, -3 dBFS) pass untouched.</summary>
    public const float Threshold = 0.708f;

    private const float Knee = Ceiling - Threshold;

    /// <summary>Clips <paramref name="block"/> in place; returns how many samples were above <see cref="Threshold"/>.</summary>
    /// <remarks>Audio (worker) thread. Allocation-free. Expects finite samples (NaN would pass through unchanged).</remarks>
    public static int Process(Span<float> block)
    {
        int acted = 0;
        for (int i = 0; i < block.Length; i++)
        {
            float x = block[i];
            if (MathF.Abs(x) > Threshold)
            {
                block[i] = Shape(x);
                acted++;
            }
        }

        return acted;
    }

    /// <summary>The curve for one sample above the threshold (see the type's remarks).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Shape(float x)
    {
        float excess = (MathF.Abs(x) - Threshold) / Knee;
        float y = MathF.Min(Ceiling - (Knee / (1f + excess)), Ceiling);
        return x < 0f ? -y : y;
    }
}
