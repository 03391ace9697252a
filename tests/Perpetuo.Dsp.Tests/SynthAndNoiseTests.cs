using Perpetuo.Protocol;

namespace Perpetuo.Dsp.Tests;

public sealed class SynthAndNoiseTests
{
    [Fact]
    public void SameNoiseSeedGivesTheSameStreamAndADifferentSeedDoesNot()
    {
        float[] a = Render.Blocks(Render.Single("noise", 1, ("seed", 42), ("level", 1)), 10, 256);
        float[] b = Render.Blocks(Render.Single("noise", 1, ("seed", 42), ("level", 1)), 10, 256);
        float[] c = Render.Blocks(Render.Single("noise", 1, ("seed", 43), ("level", 1)), 10, 256);

        Assert.Equal(-1, Render.FirstDifference(a, b));
        Assert.Equal(0, Render.FirstDifference(a, c));
        Assert.InRange(a.Average(), -0.05, 0.05);
        Assert.InRange(Render.Rms(a), 0.55, 0.61); // uniform on [-1, 1): 1/sqrt(3)
    }

    [Fact]
    public void ReleasedSynthNoteFadesToSilence()
    {
        ModuleHost host = Render.Single("synth", 1, ("release", 0.05f));
        host.QueueCommand(new DspCommand(CommandKind.NoteOn, 0, Value: 60, Value2: 1));
        float[] held = Render.Blocks(host, 20, 480);
        host.QueueCommand(new DspCommand(CommandKind.NoteOff, 0, Value: 60));
        float[] released = Render.Blocks(host, 20, 480);

        Assert.True(Render.Rms(held[^480..]) > 0.05);
        Assert.Equal(0f, released[^480..].Max(MathF.Abs));
    }

    [Fact]
    public void VoiceLimitStealsTheOldestNote()
    {
        ModuleHost host = Render.Single("synth", 1, ("voices", 2), ("wave", 0), ("sustain", 1), ("attack", 0.001f), ("release", 0.01f));
        host.QueueCommand(new DspCommand(CommandKind.NoteOn, 0, Value: 45, Value2: 1)); // 110 Hz, stolen
        host.QueueCommand(new DspCommand(CommandKind.NoteOn, 10, Value: 69, Value2: 1)); // 440 Hz
        host.QueueCommand(new DspCommand(CommandKind.NoteOn, 20, Value: 81, Value2: 1)); // 880 Hz
        Render.Blocks(host, 10, 480);
        host.QueueCommand(new DspCommand(CommandKind.NoteOff, 0, Value: 69));
        host.QueueCommand(new DspCommand(CommandKind.NoteOff, 0, Value: 81));
        float[] tail = Render.Blocks(host, 40, 480);

        Assert.Equal(0f, tail[^480..].Max(MathF.Abs)); // nothing left of note 45: it was stolen, not kept
    }

    [Fact]
    public void AllNotesOffSilencesEveryVoice()
    {
        ModuleHost host = Render.Single("synth", 2, ("release", 0.02f));
        for (int n = 0; n < 10; n++)
        {
            host.QueueCommand(new DspCommand(CommandKind.NoteOn, n, Value: 50 + n, Value2: 1));
        }

        Render.Blocks(host, 5, 480);
        host.QueueCommand(new DspCommand(CommandKind.AllNotesOff, 0));
        float[] tail = Render.Blocks(host, 20, 480);

        Assert.Equal(0f, tail[^960..].Max(MathF.Abs));
    }

    [Fact]
    public void AdsrGatesTheSignalWithLastNotePriority()
    {
        var host = new ModuleHost(Render.Rate, 1, 480);
        host.AddModule("osc", "osc", [Render.P("level", 1)]);
        host.AddModule("adsr", "env", [Render.P("sustain", 1), Render.P("release", 0.01f)]);
        float[] before = Render.Blocks(host, 2, 480);
        host.QueueCommand(new DspCommand(CommandKind.NoteOn, 0, Value: 60, Value2: 1));
        host.QueueCommand(new DspCommand(CommandKind.NoteOn, 0, Value: 62, Value2: 1));
        host.QueueCommand(new DspCommand(CommandKind.NoteOff, 100, Value: 60));
        float[] stillHeld = Render.Blocks(host, 10, 480);
        host.QueueCommand(new DspCommand(CommandKind.NoteOff, 0, Value: 62));
        float[] released = Render.Blocks(host, 20, 480);

        Assert.Equal(0f, before.Max(MathF.Abs));
        Assert.True(Render.Rms(stillHeld[^480..]) > 0.6);
        Assert.Equal(0f, released[^480..].Max(MathF.Abs));
    }
}
