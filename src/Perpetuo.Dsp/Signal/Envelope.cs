using System.Runtime.CompilerServices;

namespace Perpetuo.Dsp;

/// <summary>
/// ADSR state machine shared by the <c>adsr</c> module and the synth voices. A retrigger restarts the attack
/// from the current level (no jump to 0, so stolen voices and legato retriggers do not click).
/// </summary>
// Mutable struct! Callers copy it into a local for the loop and store it back; don't make it readonly.
internal struct Envelope
{
    private const float DecayDone = 1e-4f;
    private const float Silent = 1e-5f;

    public EnvelopeStage Stage;
    public float Level;

    public readonly bool IsActive => Stage != EnvelopeStage.Idle;

    public void Trigger() => Stage = EnvelopeStage.Attack;

    public void Release()
    {
        if (Stage != EnvelopeStage.Idle)
        {
            Stage = EnvelopeStage.Release;
        }
    }

    /// <summary>Advances one sample and returns the level (0..1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Next(in EnvelopeSettings s)
    {
        switch (Stage)
        {
            case EnvelopeStage.Attack:
                Level += s.AttackStep;
                if (Level >= 1f)
                {
                    Level = 1f;
                    Stage = EnvelopeStage.Decay;
                }

                break;
            case EnvelopeStage.Decay:
                Level = s.Sustain + ((Level - s.Sustain) * s.DecayCoef);
                if (MathF.Abs(Level - s.Sustain) < DecayDone)
                {
                    Level = s.Sustain;
                    Stage = EnvelopeStage.Sustain;
                }

                break;
            case EnvelopeStage.Sustain:
                Level = s.Sustain;
                break;
            case EnvelopeStage.Release:
                Level *= s.ReleaseCoef;
                if (Level < Silent)
                {
                    Level = 0f;
                    Stage = EnvelopeStage.Idle;
                }

                break;
            default:
                Level = 0f;
                break;
        }

        return Level;
    }

    /// <summary>Called when the sustain level changes: a sustaining envelope glides to it through the decay stage.</summary>
    public void OnSustainChanged()
    {
        if (Stage == EnvelopeStage.Sustain)
        {
            Stage = EnvelopeStage.Decay;
        }
    }

    public void Write(SnapshotWriter w)
    {
        w.WriteByte((byte)Stage);
        w.WriteSingle(Level);
    }

    public void Read(ref SnapshotReader r)
    {
        byte stage = r.ReadByte();
        if (stage > (byte)EnvelopeStage.Release)
        {
            throw new DspException($"snapshot: invalid envelope stage {stage}");
        }

        Stage = (EnvelopeStage)stage;
        Level = r.ReadSingle("envelope level", 0f, 1f);
    }
}
