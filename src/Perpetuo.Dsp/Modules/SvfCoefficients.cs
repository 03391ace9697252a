namespace Perpetuo.Dsp;

/// <summary>
/// Coefficients of Andrew Simper's (Cytomic) trapezoidal state-variable filter for one cutoff/resonance pair.
/// Resonance 0..1 maps to damping k = 2..0.02: k never reaches 0, so the filter stays strictly stable even at
/// resonance 1 (it rings for seconds but cannot grow without bound).
/// </summary>
internal readonly struct SvfCoefficients
{
    public SvfCoefficients(float cutoffHz, float resonance, int sampleRate)
    {
        double fc = Math.Clamp(cutoffHz, 1.0, 0.49 * sampleRate);
        double g = Math.Tan(Math.PI * fc / sampleRate);
        double k = 2.0 - (1.98 * Math.Clamp(resonance, 0f, 1f));
        double a1 = 1.0 / (1.0 + (g * (g + k)));
        A1 = (float)a1;
        A2 = (float)(g * a1);
        A3 = (float)(g * g * a1);
        K = (float)k;
    }

    public float A1 { get; }

    public float A2 { get; }

    public float A3 { get; }

    public float K { get; }
}
