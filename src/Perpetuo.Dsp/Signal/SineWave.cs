namespace Perpetuo.Dsp;

/// <summary>Exact sine: no harmonics, nothing to band-limit.</summary>
internal readonly struct SineWave : IWaveform
{
    public static float Sample(double phase, double dt) => (float)Math.Sin(2.0 * Math.PI * phase);
}
