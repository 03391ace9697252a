namespace Perpetuo.Dsp;

/// <summary>Rising saw -1..1, polyBLEP-corrected at the wrap.</summary>
internal readonly struct SawWave : IWaveform
{
    public static float Sample(double phase, double dt) => (float)((2.0 * phase) - 1.0 - PolyBlep.Step(phase, dt));
}
