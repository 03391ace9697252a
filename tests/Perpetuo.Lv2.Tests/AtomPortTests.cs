using Perpetuo.Protocol;

namespace Perpetuo.Lv2.Tests;

/// <summary>
/// Atom ports through a real native plugin (tests/native/perpetuo-test.lv2/atoms.c): MIDI reaches an instrument at
/// the frame it was written for, each run's input is exactly what was written for it, a MIDI output is read as a
/// sequence, and garbage a plugin writes into its atom output is counted and never followed.
/// </summary>
public sealed class AtomPortTests(CatalogFixture fixture) : IClassFixture<CatalogFixture>
{
    private const int Rate = 48000;
    private const int Block = 64;

    [Fact]
    public void AnInstrumentHearsEachNoteAtTheFrameItWasWrittenFor()
    {
        using Lv2Plugin synth = Active(TestPlugins.GateSynth);
        Assert.True(synth.HasMidiInput);

        Assert.True(synth.TryWriteMidi(10, 0x90, 60, 100));
        Assert.True(synth.TryWriteMidi(50, 0x80, 60, 64));
        synth.Run(Block);

        float[] out0 = synth.AudioOutput(0)[..Block].ToArray();
        float on = (60 + (100 / 128f)) / 256f;
        Assert.All(out0[..10], s => Assert.Equal(0f, s));
        Assert.All(out0[10..50], s => Assert.Equal(on, s));
        Assert.All(out0[50..], s => Assert.Equal(0f, s));
        Assert.Equal(2f, synth.GetControlOutput(0));
    }

    [Fact]
    public void EachRunReadsOnlyWhatWasWrittenForIt()
    {
        using Lv2Plugin synth = Active(TestPlugins.GateSynth);
        Assert.True(synth.TryWriteMidi(0, 0x90, 64, 127));
        synth.Run(Block);
        Assert.Equal(0, synth.AtomInputs[0].EventBytes); // emptied after the run

        synth.Run(Block);
        synth.Run(Block);

        Assert.Equal(1f, synth.GetControlOutput(0)); // the note was read once, not once a run
        Assert.All(synth.AudioOutput(0)[..Block].ToArray(), s => Assert.Equal((64 + (127 / 128f)) / 256f, s)); // and still sounds
    }

    [Fact]
    public void NotesWrittenBeforeAZeroFrameRunWaitForTheNextRun()
    {
        using Lv2Plugin synth = Active(TestPlugins.GateSynth);
        Assert.True(synth.TryWriteMidi(0, 0x90, 60, 64));
        synth.Run(0);
        Assert.Equal(0f, synth.GetControlOutput(0));

        synth.Run(Block);

        Assert.Equal(1f, synth.GetControlOutput(0));
    }

    [Fact]
    public void ControllerOneTwentyThreeReachesThePluginAsWritten()
    {
        using Lv2Plugin synth = Active(TestPlugins.GateSynth);
        Assert.True(synth.TryWriteMidi(0, 0x90, 60, 64));
        Assert.True(synth.TryWriteMidi(20, 0xB0, 123, 0));
        synth.Run(Block);

        Assert.Equal(1f, synth.GetControlOutput(1));
        Assert.All(synth.AudioOutput(0)[20..Block].ToArray(), s => Assert.Equal(0f, s));
    }

    [Fact]
    public void AMidiOutputIsReadAsTheSequenceThePluginWrote()
    {
        using Lv2Plugin synth = Active(TestPlugins.GateSynth);
        Assert.True(synth.TryWriteMidi(3, 0x90, 61, 90));
        Assert.True(synth.TryWriteMidi(40, 0x80, 61, 64));
        synth.Run(Block);

        var seen = new List<(long Frame, byte Status, byte Note)>();
        foreach (Lv2AtomEvents.Event e in synth.AtomOutputs[0].ReadOutput(out bool malformed))
        {
            Assert.False(malformed);
            seen.Add((e.Frame, e.Body[0], e.Body[1]));
        }

        Assert.Equal([(3L, (byte)0x90, (byte)61), (40L, (byte)0x80, (byte)61)], seen);
        Assert.Equal(0, synth.MalformedOutputs);
    }

    [Theory]
    [InlineData(1)] // a sequence size past its buffer
    [InlineData(2)] // an atom of another type
    public void GarbageInAnAtomOutputIsCountedAndNeverRead(int mode)
    {
        using Lv2Plugin garbage = Active(TestPlugins.AtomGarbage);
        garbage.SetControlInput(0, mode);
        garbage.AudioInput(0).Fill(0.25f);

        for (int run = 1; run <= 3; run++)
        {
            garbage.Run(Block);
            Assert.Equal(run, garbage.MalformedOutputs);
        }
        int events = 0;
        foreach (Lv2AtomEvents.Event e in garbage.AtomOutputs[0].ReadOutput(out bool malformed))
        {
            Assert.True(malformed);
            events++;
        }
        Assert.Equal(0, events);
        Assert.All(garbage.AudioOutput(0)[..Block].ToArray(), s => Assert.Equal(0.25f, s)); // the audio goes on
    }

    [Fact]
    public void AnEventWhoseBodyReachesPastItsSequenceEndsTheReading()
    {
        using Lv2Plugin garbage = Active(TestPlugins.AtomGarbage);
        garbage.SetControlInput(0, 3);
        garbage.Run(Block);

        int events = 0;
        foreach (Lv2AtomEvents.Event e in garbage.AtomOutputs[0].ReadOutput(out bool malformed))
        {
            events++;
        }

        Assert.Equal(0, events);
        garbage.SetControlInput(0, 0); // a proper one reads as one event
        garbage.Run(Block);
        foreach (Lv2AtomEvents.Event e in garbage.AtomOutputs[0].ReadOutput(out _))
        {
            Assert.Equal(4, e.Body.Length);
            events++;
        }
        Assert.Equal(1, events);
    }

    [Fact]
    public void AnAtomInputTakesEventsUntilItIsFullAndNoneAfter()
    {
        using Lv2Plugin synth = Active(TestPlugins.GateSynth);
        Lv2AtomBuffer input = synth.AtomInputs[0];
        int fits = (input.Capacity - Lv2AtomBuffer.HeaderBytes) / 24; // a 3-byte MIDI event takes 24 bytes

        for (int i = 0; i < fits; i++)
        {
            Assert.True(synth.TryWriteMidi(0, 0x90, 60, 1), $"event {i} of {fits}");
        }

        Assert.False(synth.TryWriteMidi(0, 0x80, 60, 0));
        Assert.Equal(fits * 24, input.EventBytes);
        synth.Run(Block);
        Assert.Equal(fits, synth.GetControlOutput(0));
    }

    [Fact]
    public void AMidiInputHoldsTheEventsItWasSizedFor()
    {
        using Lv2Plugin synth = fixture.Catalog.Instantiate(TestPlugins.GateSynth, Rate, Block, 0, midiEvents: 5000);
        Assert.True(synth.AtomInputs[0].Capacity >= Lv2AtomBuffer.HeaderBytes + (24 * 5000));
        using Lv2Plugin notify = Active(TestPlugins.AtomGarbage);
        Assert.Equal(Limits.PluginAtomBytes, notify.AtomOutputs[0].Capacity); // an output that asks for nothing: the default
    }

    [Fact]
    public void RunWithNotesAllocatesNothingOnceWarm()
    {
        using Lv2Plugin synth = Active(TestPlugins.GateSynth);
        for (int i = 0; i < 200; i++)
        {
            Play(synth, i);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 2000; i++)
        {
            Play(synth, i);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static void Play(Lv2Plugin synth, int i)
    {
        synth.TryWriteMidi(i % Block, (byte)(i % 2 == 0 ? 0x90 : 0x80), (byte)(i % 128), 100);
        synth.Run(Block);
        foreach (Lv2AtomEvents.Event e in synth.AtomOutputs[0].ReadOutput(out _))
        {
            _ = e.Frame;
        }
    }

    private Lv2Plugin Active(string uri)
    {
        Lv2Plugin p = fixture.Catalog.Instantiate(uri, Rate, Block);
        p.Activate();
        return p;
    }
}
