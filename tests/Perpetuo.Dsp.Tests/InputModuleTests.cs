using Perpetuo.Protocol;

namespace Perpetuo.Dsp.Tests;

/// <summary>The <c>input</c> module mixes the host's live input into the chain at its position, times its gain.</summary>
public sealed class InputModuleTests
{
    private const int Frames = 256;

    private static ModuleHost Host(params string[] types)
    {
        var host = new ModuleHost(Render.Rate, 2, Frames) { SafetyClipperEnabled = false };
        for (int i = 0; i < types.Length; i++)
        {
            host.AddModule(types[i], $"{types[i]}{i}");
        }
        return host;
    }

    private static float[] Ramp(int frames, float scale = 1e-3f)
    {
        var x = new float[frames * 2];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = ((i % 97) - 48) * scale;
        }
        return x;
    }

    [Fact]
    public void AChainThatStartsWithTheInputPlaysTheInputExactly()
    {
        ModuleHost host = Host("input");
        float[] input = Ramp(Frames);
        host.Input.Set(input);
        var block = new float[Frames * 2];

        host.ProcessChain(block);

        Assert.Equal(input, block);
    }

    [Fact]
    public void ItMixesTheInputIntoWhatTheChainHasSoFarTimesItsGain()
    {
        ModuleHost withInput = Host("osc");
        withInput.AddModule("input", "in", [Render.P("gain", 0.5f)]);
        ModuleHost alone = Host("osc");
        float[] input = Ramp(Frames);
        var block = new float[Frames * 2];
        var osc = new float[Frames * 2];
        for (int b = 0; b < 4; b++)
        {
            withInput.Input.Set(input);
            withInput.ProcessChain(block);
            alone.ProcessChain(osc);
        }

        for (int i = 0; i < block.Length; i++)
        {
            Assert.Equal(osc[i] + (input[i] * 0.5f), block[i]);
        }
    }

    [Fact]
    public void WithNothingSetTheInputIsSilence()
    {
        ModuleHost withInput = Host("osc", "input");
        ModuleHost alone = Host("osc");
        var a = new float[Frames * 2];
        var b = new float[Frames * 2];
        for (int n = 0; n < 3; n++)
        {
            withInput.ProcessChain(a);
            alone.ProcessChain(b);
            Assert.Equal(b, a); // the oscillator, and nothing added to it
        }
        withInput.Input.Set(Ramp(Frames));
        withInput.Input.Clear();
        withInput.ProcessChain(a);
        alone.ProcessChain(b);
        Assert.Equal(b, a);
    }

    [Fact]
    public void AShortBlockOfInputIsPaddedWithSilenceAndALongOneIsRefused()
    {
        ModuleHost host = Host("input");
        host.Input.Set(Ramp(100));
        var block = new float[Frames * 2];
        host.ProcessChain(block);
        Assert.Equal(Ramp(100), block[..200]);
        Assert.All(block[200..], s => Assert.Equal(0f, s));

        Assert.Throws<ArgumentException>(() => host.Input.Set(new float[(Frames * 2) + 2]));
        Assert.Throws<ArgumentException>(() => host.Input.Set(new float[3])); // not whole frames
    }

    [Fact]
    public void ACommandMidBlockSplitsTheBlockAndEachSegmentReadsItsOwnFramesOfInput()
    {
        ModuleHost host = Host("input", "gain");
        float[] input = Ramp(Frames);
        host.Input.Set(input);
        host.QueueCommand(new DspCommand(CommandKind.SetParam, 100, "gain1", "gain", 1f)); // splits the block at frame 100, changes nothing
        var block = new float[Frames * 2];

        host.ProcessChain(block);

        Assert.Equal(input, block);
    }

    [Fact]
    public void ASnapshotCarriesTheGainAndNotTheInput()
    {
        ModuleHost host = Host();
        host.AddModule("input", "in", [Render.P("gain", 2f)]);
        var block = new float[Frames * 2];
        host.Input.Set(Ramp(Frames));
        host.ProcessChain(block);

        ModuleHost copy = ModuleHost.LoadSnapshot(host.SaveSnapshot(), Frames);
        copy.SafetyClipperEnabled = false;
        var a = new float[Frames * 2];
        var b = new float[Frames * 2];
        float[] next = Ramp(Frames, 2e-3f);
        host.Input.Set(next);
        copy.Input.Set(next);
        host.ProcessChain(a);
        copy.ProcessChain(b);

        Assert.Equal(a, b);
    }
}
