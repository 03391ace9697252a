using Perpetuo.Control.Commands;
using Perpetuo.Protocol;

namespace Perpetuo.Control.Midi;

/// <summary>
/// What a MIDI channel message asks of the engine, as the same commands OSC sends (one definition of a command).
/// </summary>
/// <remarks>
/// Decisions: every channel is heard (omni). Note on with velocity v plays the note at v / 127; note on with
/// velocity 0 and note off release it. Controllers 120 (all sound off) and 123 (all notes off) release every note.
/// Other controllers, and the pitch bend, set a parameter only when the <see cref="MidiMap"/> maps them. Sustain
/// (cc 64) is a controller like any other: the synths have no pedal. Aftertouch, program change and system messages
/// are ignored. Pure: unit-tested.
/// </remarks>
public static class MidiTranslator
{
    /// <summary>The command for a message, or false when it asks nothing of the engine.</summary>
    public static bool TryTranslate(byte status, byte data1, byte data2, MidiMap map, out ControlCommand command)
    {
        ArgumentNullException.ThrowIfNull(map);
        command = default;
        int d1 = data1 & 0x7F, d2 = data2 & 0x7F;
        switch (status & 0xF0)
        {
            case 0x90 when d2 > 0:
                command = new ControlCommand(CommandKind.NoteOn, "", "", d1, d2 / 127f);
                return true;
            case 0x90:
            case 0x80:
                command = new ControlCommand(CommandKind.NoteOff, "", "", d1, 0);
                return true;
            case 0xB0 when d1 is 120 or 123:
                command = new ControlCommand(CommandKind.AllNotesOff, "", "", 0, 0);
                return true;
            case 0xB0 when map.Controller(d1) is { } target:
                command = ControlCommand.SetParam(target.Module, target.Param, target.FromController(d2));
                return true;
            case 0xE0 when map.Bend is { } bend:
                command = ControlCommand.SetParam(bend.Module, bend.Param, bend.FromBend(d1 | (d2 << 7)));
                return true;
            default:
                return false;
        }
    }
}
