using Perpetuo.Lv2;

namespace Perpetuo.Dsp;

/// <summary>
/// Turns a segment's note events into the MIDI messages an LV2 plugin's MIDI input gets, at their frames, on MIDI
/// channel 1: note on (velocity 0..1 as 1..127), note off (release velocity 64), and all-notes-off as a note off
/// for every note this module sent on and did not send off yet, lowest first, then controller 123 (All Notes Off)
/// at the same frame.
/// </summary>
/// <remarks>
/// Why explicit note-offs before controller 123: a plugin that ignores the controller (MIDI makes it optional)
/// still releases every note, and one that honours it gets nothing new. Notes release as a note-off would (their
/// tails ring out): all-notes-off is a musician's "stop", not a mute. The sounding notes are tracked from what was
/// sent, the same in every replica and in render. Worker render thread only; allocation-free.
/// </remarks>
internal sealed class MidiNotes
{
    private const byte NoteOnStatus = 0x90;
    private const byte NoteOffStatus = 0x80;
    private const byte ControllerStatus = 0xB0;
    private const byte AllNotesOffController = 123;
    private const byte ReleaseVelocity = 64;

    private readonly bool[] _sounding = new bool[128];

    /// <summary>Messages the plugin's MIDI input could not hold (it holds every note a segment can carry: stays 0).</summary>
    public long Dropped { get; private set; }

    /// <summary>Writes <paramref name="events"/> into every one of <paramref name="plugins"/>' MIDI inputs, for their next run.</summary>
    /// <param name="plugins">The instances of one module (one per channel for a mono plugin): the same notes each.</param>
    /// <param name="events">The segment's events, in frame order.</param>
    /// <param name="atFrameZero">All at the next run's first frame (events of a segment that had no frames).</param>
    public void Write(ReadOnlySpan<Lv2Plugin> plugins, NoteEventList events, bool atFrameZero = false)
    {
        for (int e = 0; e < events.Count; e++)
        {
            ref readonly NoteEvent ev = ref events[e];
            int frame = atFrameZero ? 0 : ev.Frame;
            switch (ev.Kind)
            {
                case NoteEventKind.NoteOn:
                    Send(plugins, frame, NoteOnStatus, (byte)ev.Note, Velocity(ev.Velocity));
                    _sounding[ev.Note] = true;
                    break;
                case NoteEventKind.NoteOff:
                    Send(plugins, frame, NoteOffStatus, (byte)ev.Note, ReleaseVelocity);
                    _sounding[ev.Note] = false;
                    break;
                case NoteEventKind.AllNotesOff:
                    AllOff(plugins, frame);
                    break;
            }
        }
    }

    /// <summary>Nothing is sounding (the plugin was reset).</summary>
    public void Forget() => Array.Clear(_sounding);

    private void AllOff(ReadOnlySpan<Lv2Plugin> plugins, int frame)
    {
        for (int n = 0; n < _sounding.Length; n++)
        {
            if (_sounding[n])
            {
                Send(plugins, frame, NoteOffStatus, (byte)n, ReleaseVelocity);
                _sounding[n] = false;
            }
        }
        Send(plugins, frame, ControllerStatus, AllNotesOffController, 0);
    }

    private void Send(ReadOnlySpan<Lv2Plugin> plugins, int frame, byte status, byte data1, byte data2)
    {
        foreach (Lv2Plugin p in plugins)
        {
            if (!p.TryWriteMidi(frame, status, data1, data2))
            {
                Dropped++;
            }
        }
    }

    /// <summary>0..1 as MIDI's 1..127 (0 would be a note off): v / 127 from a JACK keyboard comes back as v.</summary>
    internal static byte Velocity(float velocity) => (byte)Math.Clamp((int)MathF.Round(velocity * 127f), 1, 127);
}
