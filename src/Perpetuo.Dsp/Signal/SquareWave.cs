namespace Perpetuo.Dsp;

/// <summary>50% square ±1, polyBLEP-corrected at both edges.</summary>
internal readonly struct SquareWave : IWaveform
{
    public static float Sample(double phase, double dt)
    {
        double naive = phase < 0.5 ? 1.0 : -1.0;
        return (float)(naive + PolyBlep.Step(phase, dt) - PolyBlep.Step(PolyBlep.Wrap(phase + 0.5), dt));
    }
}
