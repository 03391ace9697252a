namespace Perpetuo.Dsp;

/// <summary>
/// <c>pan</c>: equal-power stereo pan, in place: left *= cos(θ), right *= sin(θ), θ = (pan + 1)·π/4, so the
/// centre is -3 dB on each side. With other than 2 channels the buffer passes through unchanged (there is no
/// single meaning of "pan" for mono or surround); the parameter still ramps so snapshots stay consistent.
/// </summary>
internal sealed class PanModule : Module
{
    public const int Pan = 0;

    public static readonly ModuleDescriptor TypeDescriptor = new("pan", "equal-power stereo pan (pass-through unless 2 channels)",
    [
        ParamDescriptor.Smooth("pan", -1, 1, 0, "-1 = left, 0 = centre, 1 = right"),
    ]);

    public PanModule(string id, in ModuleContext context)
        : base(TypeDescriptor, id, context)
    {
    }

    internal override void Process(Span<float> block, int frames, NoteEventList events)
    {
        ParamState pan = Param(Pan);
        if (Channels != 2)
        {
            for (int i = 0; i < frames && !pan.IsSettled; i++)
            {
                pan.Next();
            }
        }
        else if (pan.IsSettled)
        {
            (float l, float r) = Gains(pan.Current);
            for (int i = 0; i < block.Length; i += 2)
            {
                block[i] *= l;
                block[i + 1] *= r;
            }
        }
        else
        {
            for (int i = 0; i < frames; i++)
            {
                (float l, float r) = Gains(pan.Next());
                block[2 * i] *= l;
                block[(2 * i) + 1] *= r;
            }
        }

        Param(Pan) = pan;
    }

    protected override void ResetState()
    {
    }

    internal override void WriteState(SnapshotWriter w)
    {
    }

    internal override void ReadState(ref SnapshotReader r)
    {
    }

    private static (float Left, float Right) Gains(float pan)
    {
        float theta = (pan + 1f) * (MathF.PI / 4f);
        return (MathF.Cos(theta), MathF.Sin(theta));
    }
}
