namespace Perpetuo.Dsp;

/// <summary>
/// <c>adsr</c>: envelope used as a VCA: multiplies everything rendered so far in the chain. Gated by note events
/// with last-note priority: a new note retriggers the attack, releasing it while older notes are held keeps the
/// gate open, releasing the last one starts the release.
/// </summary>
internal sealed class AdsrModule : NoteModule
{
    public const int Attack = 0;
    public const int Decay = 1;
    public const int Sustain = 2;
    public const int Release = 3;

    public static readonly ModuleDescriptor TypeDescriptor = new("adsr", "envelope VCA on the chain so far, gated by notes",
    [
        ParamDescriptor.Plain("attack", 0.0005f, 10, 0.01f, "attack time in seconds (linear)"),
        ParamDescriptor.Plain("decay", 0.001f, 10, 0.2f, "decay time in seconds (to -60 dB of the distance)"),
        ParamDescriptor.Plain("sustain", 0, 1, 0.7f, "sustain level"),
        ParamDescriptor.Plain("release", 0.001f, 20, 0.3f, "release time in seconds (to -60 dB)"),
    ]);

    private readonly NoteStack _held = new();
    private EnvelopeSettings _settings;
    private Envelope _env;

    public AdsrModule(string id, in ModuleContext context)
        : base(TypeDescriptor, id, context)
    {
    }

    protected override void Render(Span<float> block, int frames)
    {
        Envelope env = _env;
        int ch = Channels;
        for (int i = 0; i < frames; i++)
        {
            float g = env.Next(_settings);
            for (int c = 0; c < ch; c++)
            {
                block[(i * ch) + c] *= g;
            }
        }

        _env = env;
    }

    protected override void OnNote(in NoteEvent e)
    {
        switch (e.Kind)
        {
            case NoteEventKind.NoteOn:
                _held.Push(e.Note);
                _env.Trigger();
                break;
            case NoteEventKind.NoteOff:
                _held.Remove(e.Note);
                if (_held.Count == 0)
                {
                    _env.Release();
                }

                break;
            default:
                _held.Clear();
                _env.Release();
                break;
        }
    }

    protected override void Sanitize() => _env.Level = Gremlins.Zap(_env.Level);

    protected override void UpdateDerived() => _settings = new EnvelopeSettings(
        Context.SampleRate, Param(Attack).Target, Param(Decay).Target, Param(Sustain).Target, Param(Release).Target);

    protected override void OnParamChanged(int index)
    {
        UpdateDerived();
        if (index == Sustain)
        {
            _env.OnSustainChanged();
        }
    }

    protected override void ResetState()
    {
        _env = default;
        _held.Clear();
    }

    internal override void WriteState(SnapshotWriter w)
    {
        _env.Write(w);
        _held.Write(w);
    }

    internal override void ReadState(ref SnapshotReader r)
    {
        _env.Read(ref r);
        _held.Read(ref r);
    }
}
