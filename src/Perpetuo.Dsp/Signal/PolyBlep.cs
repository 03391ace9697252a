using System.Runtime.CompilerServices;

namespace Perpetuo.Dsp;

/// <summary>
/// Two-sample polynomial corrections that band-limit discontinuities of naive waveforms.
/// Design: <see cref="Step"/> is the polyBLEP residual of a step of height 2 (saw, square); <see cref="Ramp"/> is
/// its integral, the polyBLAMP residual of a slope change of 2 per sample (triangle corners), from
/// Esqueda, Välimäki and Bilbao, "Rounding corners with BLAMP" (DAFx 2016). Both assume dt &lt; 0.5.
/// </summary>
internal static class PolyBlep
{
    /// <summary>polyBLEP residual at phase <paramref name="t"/> in [0,1) for phase increment <paramref name="dt"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Step(double t, double dt)
    {
        if (t < dt)
        {
            t /= dt;
            return t + t - (t * t) - 1.0;
        }

        if (t > 1.0 - dt)
        {
            t = (t - 1.0) / dt;
            return (t * t) + t + t + 1.0;
        }

        return 0.0;
    }

    /// <summary>polyBLAMP residual (always >= 0, peak 1/3 at the corner) at phase <paramref name="t"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Ramp(double t, double dt)
    {
        if (t < dt)
        {
            t = (t / dt) - 1.0;
            return -t * t * t / 3.0;
        }

        if (t > 1.0 - dt)
        {
            t = ((t - 1.0) / dt) + 1.0;
            return t * t * t / 3.0;
        }

        return 0.0;
    }

    /// <summary>Fractional part for phases in [0, 2).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Wrap(double phase) => phase >= 1.0 ? phase - 1.0 : phase;
}
