namespace Perpetuo.Dsp;

/// <summary>Stage of an <see cref="Envelope"/>. Stored in snapshots as a byte: never renumber.</summary>
internal enum EnvelopeStage : byte
{
    Idle = 0,
    Attack = 1,
    Decay = 2,
    Sustain = 3,
    Release = 4,
}
