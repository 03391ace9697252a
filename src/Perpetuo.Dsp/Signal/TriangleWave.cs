namespace Perpetuo.Dsp;

/// <summary>
/// Triangle ±1 (minimum at phase 0, maximum at 0.5), polyBLAMP-corrected at both corners. Stateless, unlike a
/// leaky integrator of a square, so it has no DC drift and nothing to snapshot.
/// </summary>
internal readonly struct TriangleWave : IWaveform
{
    public static float Sample(double phase, double dt)
    {
        double naive = phase < 0.5 ? (4.0 * phase) - 1.0 : 3.0 - (4.0 * phase);

        // Slope changes by 8*dt per sample at each corner; Ramp is normalised to a change of 2.
        double corners = PolyBlep.Ramp(phase, dt) - PolyBlep.Ramp(PolyBlep.Wrap(phase + 0.5), dt);
        return (float)(naive + (4.0 * dt * corners));
    }
}
