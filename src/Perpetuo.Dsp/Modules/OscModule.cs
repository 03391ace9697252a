namespace Perpetuo.Dsp;

/// <summary>
/// <c>osc</c>: band-limited oscillator (exact sine, polyBLEP saw/square, polyBLAMP triangle) that adds its mono
/// signal to every channel. Design: phase is a double in [0,1) advanced per frame; the wave loop is chosen once
/// per run through a generic struct parameter; pitch is recomputed per frame only while freq/detune ramp.
/// With follow=1 the pitch tracks the last held note (last-note priority) and keeps it after release.
/// </summary>
internal sealed class OscModule : NoteModule
{
    public const int Wave = 0;
    public const int Freq = 1;
    public const int Level = 2;
    public const int Follow = 3;
    public const int Detune = 4;

    /// <summary>Highest phase increment: keeps the 2-sample corrections valid and the wave below Nyquist.</summary>
    internal const double MaxDt = 0.45;

    public static readonly ModuleDescriptor TypeDescriptor = new("osc", "band-limited oscillator, adds to every channel",
    [
        ParamDescriptor.Choice("wave", 0, "0=sine 1=saw 2=square 3=triangle", "sine", "saw", "square", "triangle"),
        ParamDescriptor.Smooth("freq", 1, 20000, 440, "frequency in Hz (ignored while following a note)"),
        ParamDescriptor.Smooth("level", 0, 1, 0.5f, "linear amplitude"),
        ParamDescriptor.Int("follow", 0, 1, 0, "1 = take pitch from note events (last-note priority)"),
        ParamDescriptor.Smooth("detune", -1200, 1200, 0, "pitch offset in cents"),
    ]);

    private readonly NoteStack _held = new();
    private double _phase;
    private int _note = -1;

    public OscModule(string id, in ModuleContext context)
        : base(TypeDescriptor, id, context)
    {
    }

    protected override void Render(Span<float> block, int frames)
    {
        switch ((int)Param(Wave).Target)
        {
            case 1: RenderWave<SawWave>(block, frames); break;
            case 2: RenderWave<SquareWave>(block, frames); break;
            case 3: RenderWave<TriangleWave>(block, frames); break;
            default: RenderWave<SineWave>(block, frames); break;
        }
    }

    protected override void OnNote(in NoteEvent e)
    {
        switch (e.Kind)
        {
            case NoteEventKind.NoteOn: _held.Push(e.Note); _note = e.Note; break;
            case NoteEventKind.NoteOff: _held.Remove(e.Note); _note = _held.Count > 0 ? _held.Top : _note; break;
            default: _held.Clear(); break;
        }
    }

    protected override void ResetState()
    {
        _phase = 0;
        _note = -1;
        _held.Clear();
    }

    internal override void WriteState(SnapshotWriter w)
    {
        w.WriteDouble(_phase);
        w.WriteInt32(_note);
        _held.Write(w);
    }

    internal override void ReadState(ref SnapshotReader r)
    {
        _phase = r.ReadDouble("osc phase", 0, 0.9999999999999999);
        _note = r.ReadInt32("osc note", -1, 127);
        _held.Read(ref r);
    }

    private void RenderWave<TWave>(Span<float> block, int frames)
        where TWave : struct, IWaveform
    {
        ParamState freq = Param(Freq);
        ParamState detune = Param(Detune);
        ParamState level = Param(Level);
        bool following = Param(Follow).Target >= 0.5f && _note >= 0;
        double noteHz = following ? MidiPitch.ToHz(_note) : 0;
        bool pitchRamps = !detune.IsSettled || (!following && !freq.IsSettled);
        double dt = PhaseIncrement(following ? noteHz : freq.Current, detune.Current);
        double phase = _phase;
        int ch = Channels;
        for (int i = 0; i < frames; i++)
        {
            if (pitchRamps)
            {
                float f = freq.Next();
                dt = PhaseIncrement(following ? noteHz : f, detune.Next());
            }

            float v = TWave.Sample(phase, dt) * level.Next();
            for (int c = 0; c < ch; c++)
            {
                block[(i * ch) + c] += v;
            }

            phase += dt;
            if (phase >= 1.0)
            {
                phase -= 1.0;
            }
        }

        // Ramps of unused parameters still run out, so ramp timing never depends on the follow state.
        if (!pitchRamps)
        {
            for (int i = 0; i < frames && !(freq.IsSettled && detune.IsSettled); i++)
            {
                freq.Next();
                detune.Next();
            }
        }

        _phase = phase;
        Param(Freq) = freq;
        Param(Detune) = detune;
        Param(Level) = level;
    }

    private double PhaseIncrement(double hz, float cents) =>
        Math.Min(hz * MidiPitch.CentsToRatio(cents) / Context.SampleRate, MaxDt);
}
