namespace Perpetuo.Dsp;

/// <summary>
/// <c>synth</c>: polyphonic voices (band-limited oscillator × ADSR × velocity) playing the note events it sees,
/// summed to mono and added to every channel. Design: 16 voices are allocated at configure time; <c>voices</c>
/// limits how many new notes may use (a voice above the limit finishes its release). A NoteOn for a note already
/// sounding retriggers that voice; otherwise it takes a free voice, or steals the oldest (retriggering from the
/// current level, so the steal does not click). Each voice renders into a mono scratch buffer with its wave loop
/// chosen once per run.
/// </summary>
internal sealed partial class SynthModule : NoteModule
{
    public const int Wave = 0;
    public const int Voices = 1;
    public const int Attack = 2;
    public const int Decay = 3;
    public const int Sustain = 4;
    public const int Release = 5;
    public const int Level = 6;
    public const int MaxVoices = 16;

    public static readonly ModuleDescriptor TypeDescriptor = new("synth", "polyphonic synth voices played by note events, adds to every channel",
    [
        ParamDescriptor.Choice("wave", 1, "0=sine 1=saw 2=square 3=triangle", "sine", "saw", "square", "triangle"),
        ParamDescriptor.Int("voices", 1, MaxVoices, 8, "polyphony; the oldest voice is stolen beyond it"),
        ParamDescriptor.Plain("attack", 0.0005f, 10, 0.005f, "attack time in seconds (linear)"),
        ParamDescriptor.Plain("decay", 0.001f, 10, 0.3f, "decay time in seconds (to -60 dB of the distance)"),
        ParamDescriptor.Plain("sustain", 0, 1, 0.5f, "sustain level"),
        ParamDescriptor.Plain("release", 0.001f, 20, 0.3f, "release time in seconds (to -60 dB)"),
        ParamDescriptor.Smooth("level", 0, 1, 0.3f, "output amplitude per voice at velocity 1"),
    ]);

    private readonly SynthVoice[] _voices = new SynthVoice[MaxVoices];
    private readonly float[] _mono;
    private EnvelopeSettings _settings;
    private long _started;

    public SynthModule(string id, in ModuleContext context)
        : base(TypeDescriptor, id, context)
    {
        _mono = new float[context.MaxBlockFrames];
    }

    protected override void Render(Span<float> block, int frames)
    {
        Span<float> mono = _mono.AsSpan(0, frames);
        mono.Clear();
        int wave = (int)Param(Wave).Target;
        for (int v = 0; v < _voices.Length; v++)
        {
            if (_voices[v].Env.IsActive)
            {
                RenderVoice(ref _voices[v], mono, wave);
            }
        }

        ParamState level = Param(Level);
        int ch = Channels;
        for (int i = 0; i < frames; i++)
        {
            float x = mono[i] * level.Next();
            for (int c = 0; c < ch; c++)
            {
                block[(i * ch) + c] += x;
            }
        }

        Param(Level) = level;
    }

    protected override void OnNote(in NoteEvent e)
    {
        switch (e.Kind)
        {
            case NoteEventKind.NoteOn: NoteOn(e.Note, e.Velocity); break;
            case NoteEventKind.NoteOff: NoteOff(e.Note); break;
            default:
                for (int v = 0; v < _voices.Length; v++)
                {
                    _voices[v].Gated = false;
                    _voices[v].Env.Release();
                }

                break;
        }
    }

    protected override void Sanitize()
    {
        for (int v = 0; v < _voices.Length; v++)
        {
            _voices[v].Env.Level = Gremlins.Zap(_voices[v].Env.Level);
        }
    }

    protected override void UpdateDerived() => _settings = new EnvelopeSettings(
        Context.SampleRate, Param(Attack).Target, Param(Decay).Target, Param(Sustain).Target, Param(Release).Target);

    protected override void OnParamChanged(int index)
    {
        UpdateDerived();
        if (index == Sustain)
        {
            for (int v = 0; v < _voices.Length; v++)
            {
                _voices[v].Env.OnSustainChanged();
            }
        }
    }

    protected override void ResetState()
    {
        Array.Clear(_voices);
        for (int v = 0; v < _voices.Length; v++)
        {
            _voices[v].Note = -1;
        }

        _started = 0;
    }

    internal override void WriteState(SnapshotWriter w)
    {
        w.WriteInt64(_started);
        w.WriteInt32(_voices.Length);
        foreach (SynthVoice voice in _voices)
        {
            voice.Write(w);
        }
    }

    internal override void ReadState(ref SnapshotReader r)
    {
        _started = r.ReadInt64("synth start counter", 0, long.MaxValue);
        r.ReadInt32("synth voice count", MaxVoices, MaxVoices);
        for (int v = 0; v < _voices.Length; v++)
        {
            _voices[v].Read(ref r);
        }
    }
}
