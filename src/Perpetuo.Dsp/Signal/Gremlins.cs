using System.Runtime.CompilerServices;

namespace Perpetuo.Dsp;

/// <summary>
/// SuperCollider's zapgremlins: maps denormals, NaN and infinities to 0. Apply to every value that is fed back
/// (filter memories, integrators) when it is written back after a loop, so one bad sample cannot poison state forever.
/// </summary>
internal static class Gremlins
{
    /// <summary>Returns <paramref name="x"/>, or 0 if it is NaN, infinite, tiny (denormal range) or absurdly large.</summary>
    /// <remarks>Allocation-free; NaN fails both comparisons and therefore becomes 0.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Zap(float x)
    {
        float a = MathF.Abs(x);
        return a > 1e-15f && a < 1e15f ? x : 0f;
    }

    /// <summary>Double-precision <see cref="Zap(float)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Zap(double x)
    {
        double a = Math.Abs(x);
        return a > 1e-30 && a < 1e15 ? x : 0d;
    }
}
