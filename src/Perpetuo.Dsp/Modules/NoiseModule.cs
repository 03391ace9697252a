namespace Perpetuo.Dsp;

/// <summary>
/// <c>noise</c>: deterministic white noise (xorshift32, uniform in [-1, 1)) added to every channel.
/// Design: the generator state is a plain uint seeded through SplitMix32 from the integer <c>seed</c> parameter,
/// so equal seeds give equal streams in every process; setting <c>seed</c> restarts the stream.
/// </summary>
internal sealed class NoiseModule : Module
{
    public const int Level = 0;
    public const int Seed = 1;

    public static readonly ModuleDescriptor TypeDescriptor = new("noise", "seeded deterministic white noise, adds to every channel",
    [
        ParamDescriptor.Smooth("level", 0, 1, 0.1f, "linear amplitude"),
        ParamDescriptor.Int("seed", 0, 16777215, 1, "generator seed; setting it restarts the sequence"),
    ]);

    private uint _state;

    public NoiseModule(string id, in ModuleContext context)
        : base(TypeDescriptor, id, context)
    {
    }

    internal override void Process(Span<float> block, int frames, NoteEventList events)
    {
        ParamState level = Param(Level);
        uint s = _state;
        int ch = Channels;
        for (int i = 0; i < frames; i++)
        {
            s ^= s << 13;
            s ^= s >> 17;
            s ^= s << 5;
            float v = (int)s * (1f / 2147483648f) * level.Next();
            for (int c = 0; c < ch; c++)
            {
                block[(i * ch) + c] += v;
            }
        }

        _state = s;
        Param(Level) = level;
    }

    protected override void ResetState() => _state = SeedState((uint)Param(Seed).Target);

    protected override void OnParamChanged(int index)
    {
        if (index == Seed)
        {
            ResetState();
        }
    }

    internal override void WriteState(SnapshotWriter w) => w.WriteUInt32(_state);

    internal override void ReadState(ref SnapshotReader r)
    {
        _state = r.ReadUInt32();
        if (_state == 0)
        {
            throw new DspException("snapshot: noise generator state is 0 (xorshift would stay silent)");
        }
    }

    /// <summary>SplitMix32-style scramble; never returns 0 (xorshift's fixed point).</summary>
    private static uint SeedState(uint seed)
    {
        uint z = seed + 0x9E3779B9u;
        z = (z ^ (z >> 16)) * 0x85EBCA6Bu;
        z = (z ^ (z >> 13)) * 0xC2B2AE35u;
        z ^= z >> 16;
        return z == 0 ? 0x6D2B79F5u : z;
    }
}
