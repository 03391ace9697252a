namespace Perpetuo.Dsp.Tests;

public sealed class SequencerTests
{
    private static List<(int Frame, NoteEvent Event)> Run(Module seq, int frames, int block)
    {
        var events = new NoteEventList(64);
        var all = new List<(int, NoteEvent)>();
        var buffer = new float[block];
        for (int start = 0; start < frames; start += block)
        {
            events.Clear();
            seq.Process(buffer, block, events);
            for (int i = 0; i < events.Count; i++)
            {
                all.Add((start + events[i].Frame, events[i]));
            }
        }

        return all;
    }

    private static Module Seq(params (string Name, float Value)[] ps)
    {
        Module seq = ModuleRegistry.Create(SeqModule.TypeDescriptor, "seq", new ModuleContext(Render.Rate, 1, 1024));
        foreach ((string name, float value) in ps)
        {
            seq.SetParam(seq.Descriptor.IndexOf(name), value, 0);
        }

        seq.Reset();
        return seq;
    }

    [Fact]
    public void At120BpmASixteenthStepStartsEvery6000FramesAndGateHalvesIt()
    {
        Module seq = Seq(("steps", 4), ("root", 60), ("step2", 7), ("step3", SeqModule.Rest), ("step4", -12));
        List<(int Frame, NoteEvent Event)> events = Run(seq, 48000, 480);

        var ons = events.Where(e => e.Event.Kind == NoteEventKind.NoteOn).ToList();
        var offs = events.Where(e => e.Event.Kind == NoteEventKind.NoteOff).ToList();
        Assert.Equal([60, 67, 48, 60, 67, 48], ons.Select(e => e.Event.Note));
        int[] expectedOn = [0, 6000, 18000, 24000, 30000, 42000];
        for (int i = 0; i < ons.Count; i++)
        {
            Assert.InRange(ons[i].Frame, expectedOn[i], expectedOn[i] + 1);
            Assert.InRange(offs[i].Frame - ons[i].Frame, 2999, 3001);
            Assert.Equal(ons[i].Event.Note, offs[i].Event.Note);
        }
    }

    [Fact]
    public void EventTimesDoNotDependOnBlockSize()
    {
        var a = Run(Seq(("bpm", 137), ("gate", 0.3f)), 96000, 480).Select(e => (e.Frame, e.Event.Kind, e.Event.Note)).ToList();
        var b = Run(Seq(("bpm", 137), ("gate", 0.3f)), 96000, 64).Select(e => (e.Frame, e.Event.Kind, e.Event.Note)).ToList();

        Assert.Equal(a, b);
        Assert.True(a.Count > 30, $"{a.Count} events"); // 2 s at 137 bpm: 18 steps, an on and an off each
    }

    [Fact]
    public void LegatoGateSendsNoteOffBeforeTheNextNoteOnAtTheSameFrame()
    {
        List<(int Frame, NoteEvent Event)> events = Run(Seq(("gate", 1), ("steps", 2), ("step2", 5)), 12001, 1000);

        (int Frame, NoteEvent Event)[] atStep2 = events.Where(e => e.Frame is >= 6000 and <= 6001).ToArray();
        Assert.Equal([NoteEventKind.NoteOff, NoteEventKind.NoteOn], atStep2.Select(e => e.Event.Kind));
    }

    [Fact]
    public void RemovingASequencerReleasesItsNoteInTheSynth()
    {
        var host = new ModuleHost(Render.Rate, 1, 512);
        host.AddModule("seq", "seq", [Render.P("gate", 1)]);
        host.AddModule("synth", "synth", [Render.P("release", 0.01f), Render.P("sustain", 1)]);
        Render.Blocks(host, 4, 512);
        host.RemoveModule("seq");
        float[] tail = Render.Blocks(host, 20, 512);

        Assert.True(Render.Rms(tail[^512..]) < 1e-4, "note hangs after its sequencer was removed");
    }
}
