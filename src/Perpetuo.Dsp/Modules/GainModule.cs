using System.Numerics;
using System.Runtime.InteropServices;

namespace Perpetuo.Dsp;

/// <summary>
/// <c>gain</c>: linear gain, in place. Design (NAudio GainEffect): while the gain ramps, every frame gets its
/// own smoothed value; once settled the loop is a SIMD multiply (bit-identical to the scalar product), and a
/// settled gain of exactly 1 does nothing at all.
/// </summary>
internal sealed class GainModule : Module
{
    public const int Gain = 0;

    public static readonly ModuleDescriptor TypeDescriptor = new("gain", "linear gain, smoothed",
    [
        ParamDescriptor.Smooth("gain", 0, 4, 1, "linear gain (1 = unchanged)"),
    ]);

    public GainModule(string id, in ModuleContext context)
        : base(TypeDescriptor, id, context)
    {
    }

    internal override void Process(Span<float> block, int frames, NoteEventList events)
    {
        ref ParamState gain = ref Param(Gain);
        if (gain.IsSettled)
        {
            if (gain.Current != 1f)
            {
                MultiplySettled(block, gain.Current);
            }

            return;
        }

        int ch = Channels;
        for (int i = 0; i < frames; i++)
        {
            float g = gain.Next();
            for (int c = 0; c < ch; c++)
            {
                block[(i * ch) + c] *= g;
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

    private static void MultiplySettled(Span<float> block, float g)
    {
        Span<Vector<float>> vectors = MemoryMarshal.Cast<float, Vector<float>>(block);
        for (int i = 0; i < vectors.Length; i++)
        {
            vectors[i] *= g;
        }

        for (int i = vectors.Length * Vector<float>.Count; i < block.Length; i++)
        {
            block[i] *= g;
        }
    }
}
