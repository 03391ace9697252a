namespace Perpetuo.Dsp;

/// <summary>
/// <c>seq</c>: step sequencer that plays one note per step (a 16th note: 4 steps per beat) into the segment's
/// event list, so every later module in the chain hears it; it leaves the audio untouched.
/// Step values are semitone offsets from <c>root</c> in -48..48 and <see cref="Rest"/> (-49) is a rest; the
/// resulting note is clamped to 0..127. A note lasts <c>gate</c> of its step (at least one frame); gate 1 is legato.
/// Design: position is a double phase within the step advanced per frame by bpm/60·4/sampleRate, so a bpm ramp
/// bends time smoothly and the output does not depend on block boundaries. It ignores incoming note events.
/// </summary>
internal sealed class SeqModule : Module
{
    public const int Bpm = 0;
    public const int Steps = 1;
    public const int Gate = 2;
    public const int Root = 3;
    public const int Velocity = 4;
    public const int Step1 = 5;
    public const int MaxSteps = 16;

    /// <summary>Step value meaning "no note".</summary>
    public const float Rest = -49;

    public static readonly ModuleDescriptor TypeDescriptor = new("seq", "step sequencer: emits note events to later modules",
    [
        ParamDescriptor.Smooth("bpm", 20, 300, 120, "tempo in beats per minute; a step is a 16th note"),
        ParamDescriptor.Int("steps", 1, MaxSteps, 8, "pattern length in steps"),
        ParamDescriptor.Plain("gate", 0, 1, 0.5f, "note length as a fraction of the step (1 = legato)"),
        ParamDescriptor.Int("root", 0, 127, 48, "MIDI note that step offsets are added to"),
        ParamDescriptor.Plain("velocity", 0, 1, 0.8f, "velocity of every note"),
        .. Enumerable.Range(1, MaxSteps).Select(i =>
            ParamDescriptor.Int($"step{i}", Rest, 48, 0, "semitones above root; -49 = rest")),
    ]);

    private double _phase;
    private int _step;
    private bool _pendingTrigger;
    private int _playing;

    public SeqModule(string id, in ModuleContext context)
        : base(TypeDescriptor, id, context)
    {
    }

    internal override void Process(Span<float> block, int frames, NoteEventList events)
    {
        ParamState bpm = Param(Bpm);
        float gate = Param(Gate).Target;
        double perBpm = 4.0 / 60.0 / Context.SampleRate;
        for (int i = 0; i < frames; i++)
        {
            if (_pendingTrigger)
            {
                _pendingTrigger = false;
                PlayStep(events, i);
            }
            else if (_playing >= 0 && _phase >= gate)
            {
                events.Add(new NoteEvent(i, NoteEventKind.NoteOff, _playing, 0));
                _playing = -1;
            }

            _phase += bpm.Next() * perBpm;
            if (_phase >= 1.0)
            {
                _phase -= 1.0;
                _step = _step + 1 >= (int)Param(Steps).Target ? 0 : _step + 1;
                _pendingTrigger = true;
            }
        }

        Param(Bpm) = bpm;
    }

    internal override void OnRemoved(NoteEventList events)
    {
        if (_playing >= 0)
        {
            events.Add(new NoteEvent(0, NoteEventKind.NoteOff, _playing, 0));
            _playing = -1;
        }
    }

    protected override void ResetState()
    {
        _phase = 0;
        _step = 0;
        _pendingTrigger = true;
        _playing = -1;
    }

    internal override void WriteState(SnapshotWriter w)
    {
        w.WriteDouble(_phase);
        w.WriteInt32(_step);
        w.WriteBool(_pendingTrigger);
        w.WriteInt32(_playing);
    }

    internal override void ReadState(ref SnapshotReader r)
    {
        _phase = r.ReadDouble("seq phase", 0, 0.9999999999999999);
        _step = r.ReadInt32("seq step", 0, MaxSteps - 1);
        _pendingTrigger = r.ReadBool("seq trigger flag");
        _playing = r.ReadInt32("seq playing note", -1, 127);
    }

    private void PlayStep(NoteEventList events, int frame)
    {
        if (_playing >= 0)
        {
            events.Add(new NoteEvent(frame, NoteEventKind.NoteOff, _playing, 0));
            _playing = -1;
        }

        float offset = Param(Step1 + _step).Target;
        if (offset <= Rest)
        {
            return;
        }

        _playing = Math.Clamp((int)Param(Root).Target + (int)offset, 0, 127);
        events.Add(new NoteEvent(frame, NoteEventKind.NoteOn, _playing, Param(Velocity).Target));
    }
}
