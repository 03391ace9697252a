namespace Perpetuo.Dsp;

/// <summary>
/// Per-sample coefficients of an ADSR, computed from seconds when a parameter changes (never per sample).
/// Attack is linear (a click-free, predictable rise); decay and release are exponential, reaching -60 dB
/// of their distance in the given time.
/// </summary>
internal readonly struct EnvelopeSettings
{
    private const float SixtyDb = 6.907755f; // ln(1000)

    public EnvelopeSettings(int sampleRate, float attack, float decay, float sustain, float release)
    {
        AttackStep = 1f / MathF.Max(1f, attack * sampleRate);
        DecayCoef = MathF.Exp(-SixtyDb / MathF.Max(1f, decay * sampleRate));
        Sustain = sustain;
        ReleaseCoef = MathF.Exp(-SixtyDb / MathF.Max(1f, release * sampleRate));
    }

    /// <summary>Level increment per sample during attack.</summary>
    public float AttackStep { get; }

    /// <summary>Per-sample multiplier of the distance to the sustain level during decay.</summary>
    public float DecayCoef { get; }

    /// <summary>Sustain level 0..1.</summary>
    public float Sustain { get; }

    /// <summary>Per-sample multiplier of the level during release.</summary>
    public float ReleaseCoef { get; }
}
