namespace Perpetuo.Dsp;

/// <summary>
/// <c>input</c>: mixes the live input (<see cref="LiveInput"/>: <c>render --input</c>) into the chain at its
/// position, times a smoothed gain. A chain that starts with it processes the input; one that has it after a
/// generator mixes the two. Its only state is the gain's ramp (in the base class's parameters).
/// </summary>
internal sealed class InputModule : Module
{
    public const int Gain = 0;

    public static readonly ModuleDescriptor TypeDescriptor = new("input", "the live input, mixed in",
    [
        ParamDescriptor.Smooth("gain", 0, 4, 1, "linear gain of the input (0 = muted)"),
    ]);

    public InputModule(string id, in ModuleContext context)
        : base(TypeDescriptor, id, context)
    {
    }

    internal override void Process(Span<float> block, int frames, NoteEventList events)
    {
        if (Context.Input is not { } live)
        {
            return;
        }
        ReadOnlySpan<float> input = live.Segment(frames);
        ref ParamState gain = ref Param(Gain);
        int ch = Channels;
        if (gain.IsSettled)
        {
            float g = gain.Current;
            if (g != 0f)
            {
                for (int i = 0; i < frames * ch; i++)
                {
                    block[i] += input[i] * g;
                }
            }
            return;
        }
        for (int i = 0; i < frames; i++)
        {
            float g = gain.Next();
            for (int c = 0; c < ch; c++)
            {
                block[(i * ch) + c] += input[(i * ch) + c] * g;
            }
        }
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
}
