namespace Perpetuo.Audio;

/// <summary>Plays into nothing at the real block rate: the output when there is no device.</summary>
public sealed class NullOutput : PacedOutput
{
    public NullOutput(AudioFormat format, long maxFrames = 0) : base("null", format, maxFrames)
    {
    }

    protected override void Deliver(ReadOnlySpan<float> interleaved)
    {
    }
}
