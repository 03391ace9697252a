using Perpetuo.Lv2;
using Perpetuo.Lv2.Tests;
using Perpetuo.Protocol;

namespace Perpetuo.Dsp.Tests;

/// <summary>
/// Notes reach an LV2 instrument in the chain (Perpetuo's native gate synth: its output says which note sounds, with
/// which velocity, from which frame): note commands at their frame, a sequencer's notes at theirs, all-notes-off as
/// the note-offs of what sounds then controller 123, and the note-off of a sequencer removed mid-note.
/// </summary>
[Collection(Lv2Collection.Name)]
public sealed class Lv2InstrumentTests
{
    private const string Gate = "lv2:" + TestPlugins.GateSynth;
    private const int Block = 256;

    private static float Level(int note, int velocity) => (note + (velocity / 128f)) / 256f;

    private static ModuleHost Host(params string[] types)
    {
        var host = new ModuleHost(Render.Rate, 1, Block) { SafetyClipperEnabled = false };
        foreach (string t in types)
        {
            host.AddModule(t, t == Gate ? "synth" : t);
        }
        return host;
    }

    [Fact]
    public void ANoteCommandReachesThePluginAtItsFrame()
    {
        ModuleHost host = Host(Gate);
        host.QueueCommand(new DspCommand(CommandKind.NoteOn, 37, Value: 60, Value2: 0.5f));
        host.QueueCommand(new DspCommand(CommandKind.NoteOff, 200, Value: 60));

        float[] x = Render.Blocks(host, 1, Block);

        Assert.All(x[..37], s => Assert.Equal(0f, s));
        Assert.All(x[37..200], s => Assert.Equal(Level(60, 64), s)); // velocity 0.5 is MIDI 64 (63.5 rounded)
        Assert.All(x[200..], s => Assert.Equal(0f, s));
    }

    [Fact]
    public void ASequencersNotesReachAPluginAfterItAtTheirFrames()
    {
        ModuleHost host = Host("seq", Gate); // 120 bpm: a 16th-note step is 6000 frames, the gate half of it
        float[] x = Render.Blocks(host, 30, Block);

        float on = Level(48, MidiNotes.Velocity(0.8f)); // root 48, every step 0 semitones up, velocity 0.8
        Assert.All(x[..3000], s => Assert.Equal(on, s));
        Assert.All(x[3001..6000], s => Assert.Equal(0f, s)); // the seq's phase reaches 0.5 at 3000 or, rounded, 3001
        Assert.All(x[6001..7000], s => Assert.Equal(on, s)); // the next step plays the frame after its phase wrapped
    }

    [Fact]
    public void AllNotesOffSendsTheNoteOffsOfWhatSoundsThenControllerOneTwentyThree()
    {
        using Lv2Catalog catalog = Lv2Catalog.Load([TestPlugins.Bundle]);
        using Lv2Plugin synth = catalog.Instantiate(TestPlugins.GateSynth, Render.Rate, Block);
        synth.Activate();
        var notes = new MidiNotes();
        var events = new NoteEventList(16);
        events.Add(new NoteEvent(0, NoteEventKind.NoteOn, 64, 1f));
        events.Add(new NoteEvent(0, NoteEventKind.NoteOn, 60, 0.5f));
        events.Add(new NoteEvent(5, NoteEventKind.NoteOff, 64, 0));
        events.Add(new NoteEvent(9, NoteEventKind.NoteOn, 67, 0.25f));
        events.Add(new NoteEvent(30, NoteEventKind.AllNotesOff, 0, 0));

        notes.Write([synth], events);
        synth.Run(Block);

        Assert.Equal(
            [(0L, 0x90, 64, 127), (0L, 0x90, 60, 64), (5L, 0x80, 64, 64), (9L, 0x90, 67, 32),
             (30L, 0x80, 60, 64), (30L, 0x80, 67, 64), (30L, 0xB0, 123, 0)],
            Messages(synth));
        Assert.Equal(0, notes.Dropped);

        events.Clear();
        events.Add(new NoteEvent(0, NoteEventKind.AllNotesOff, 0, 0)); // nothing sounds any more: the controller alone
        notes.Write([synth], events);
        synth.Run(Block);
        Assert.Equal([(0L, 0xB0, 123, 0)], Messages(synth));
    }

    [Fact]
    public void AllNotesOffSilencesTheInstrumentFromItsFrame()
    {
        ModuleHost host = Host(Gate);
        host.QueueCommand(new DspCommand(CommandKind.NoteOn, 0, Value: 72, Value2: 1));
        host.QueueCommand(new DspCommand(CommandKind.AllNotesOff, 100));

        float[] x = Render.Blocks(host, 1, Block);

        Assert.All(x[..100], s => Assert.Equal(Level(72, 127), s));
        Assert.All(x[100..], s => Assert.Equal(0f, s));
    }

    [Fact]
    public void ASequencerRemovedMidNoteReleasesItInThePluginAtTheRemovalsFrame()
    {
        ModuleHost host = Host("seq", Gate);
        Render.Blocks(host, 2, Block); // the first step's note sounds (it lasts 3000 frames)
        host.QueueCommand(new DspCommand(CommandKind.RemoveModule, 80, "seq"));

        float[] x = Render.Blocks(host, 1, Block);

        Assert.All(x[..80], s => Assert.NotEqual(0f, s));
        Assert.All(x[80..], s => Assert.Equal(0f, s));
    }

    [Fact]
    public void ASequencerRemovedBetweenBlocksReleasesItsNoteAtTheNextBlocksFirstFrame()
    {
        ModuleHost host = Host("seq", Gate);
        Render.Blocks(host, 2, Block);
        host.RemoveModule("seq"); // a zero-frame segment: the note-off waits in the plugin's MIDI input

        float[] x = Render.Blocks(host, 1, Block);

        Assert.All(x, s => Assert.Equal(0f, s));
    }

    [Fact]
    public void AMonoInstrumentOnStereoPlaysTheSameNotesOnBothChannels()
    {
        var host = new ModuleHost(Render.Rate, 2, Block) { SafetyClipperEnabled = false };
        host.AddModule(Gate, "synth");
        host.QueueCommand(new DspCommand(CommandKind.NoteOn, 10, Value: 50, Value2: 1));

        float[] x = Render.Blocks(host, 1, Block);

        Assert.Equal(Render.Channel(x, 2, 0), Render.Channel(x, 2, 1));
        Assert.Equal(Level(50, 127), x[2 * 10]);
        Assert.Equal(0f, x[(2 * 10) - 2]);
    }

    [Fact]
    public void AChainWithAnInstrumentAllocatesNothingOnceWarm()
    {
        ModuleHost host = Host("seq", Gate);
        var block = new float[Block];
        for (int i = 0; i < 100; i++)
        {
            Play(host, block, i);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            Play(host, block, i);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static void Play(ModuleHost host, float[] block, int i)
    {
        host.QueueCommand(new DspCommand(CommandKind.NoteOn, i % Block, Value: i % 128, Value2: 0.7f));
        if (i % 7 == 0)
        {
            host.QueueCommand(new DspCommand(CommandKind.AllNotesOff, (i * 3) % Block));
        }
        host.ProcessChain(block);
    }

    /// <summary>What the gate synth read, from its MIDI output (it echoes every message): frame, status, data.</summary>
    private static List<(long, int, int, int)> Messages(Lv2Plugin synth)
    {
        var seen = new List<(long, int, int, int)>();
        foreach (Lv2AtomEvents.Event e in synth.AtomOutputs[0].ReadOutput(out _))
        {
            seen.Add((e.Frame, e.Body[0], e.Body[1], e.Body[2]));
        }
        return seen;
    }
}
