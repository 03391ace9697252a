using Perpetuo.Protocol;

namespace Perpetuo.Dsp.Tests;

public sealed class CommandTests
{
    private static ModuleHost SineThroughGain()
    {
        var host = new ModuleHost(Render.Rate, 2, 512);
        host.AddModule("osc", "osc", [Render.P("freq", 440), Render.P("level", 0.5f)]);
        host.AddModule("gain", "gain");
        return host;
    }

    [Fact]
    public void SetParamAtFrameOffset100ChangesOutputFromFrame100ExactlyAndNotBefore()
    {
        float[] plain = Render.Blocks(SineThroughGain(), 1, 256);
        ModuleHost host = SineThroughGain();
        host.QueueCommand(new DspCommand(CommandKind.SetParam, 100, "gain", "gain", 0.25f));
        float[] changed = Render.Blocks(host, 1, 256);

        Assert.Equal(200, Render.FirstDifference(plain, changed)); // frame 100, left channel
        Assert.NotEqual(plain[201], changed[201]); // and the right channel of the same frame
        Render.Blocks(host, 1, 256);
        Assert.Equal(0.25f, host.Modules[1].GetCurrentParam("gain"));
    }

    [Fact]
    public void NoteOnAtFrameOffsetStartsTheSynthExactlyThere()
    {
        var host = new ModuleHost(Render.Rate, 1, 512);
        host.AddModule("synth", "synth");
        host.QueueCommand(new DspCommand(CommandKind.NoteOn, 300, Value: 60, Value2: 1));
        float[] x = Render.Blocks(host, 1, 512);

        Assert.All(x[..300], v => Assert.Equal(0f, v));
        Assert.Contains(x[300..320], v => v != 0f);
    }

    [Fact]
    public void CommandsAtTheSameOffsetApplyInQueueOrder()
    {
        ModuleHost host = SineThroughGain();
        host.QueueCommand(new DspCommand(CommandKind.SetParam, 10, "gain", "gain", 3f));
        host.QueueCommand(new DspCommand(CommandKind.SetParam, 10, "gain", "gain", 0f));
        Render.Blocks(host, 2, 256);

        Assert.Equal(0f, host.Modules[1].GetCurrentParam("gain"));
    }

    [Fact]
    public void RampReachesItsTargetAfterTheRampTimeAndNotBefore()
    {
        ModuleHost host = SineThroughGain();
        host.QueueCommand(new DspCommand(CommandKind.SetParam, 0, "gain", "gain", 2f, 0.01f)); // 480 frames
        Render.Blocks(host, 1, 479);
        float almost = host.Modules[1].GetCurrentParam("gain");
        Render.Blocks(host, 1, 1);

        Assert.InRange(almost, 1.99f, 1.9999f);
        Assert.Equal(2f, host.Modules[1].GetCurrentParam("gain"));
    }

    public static TheoryData<DspCommand> BadCommands() => new()
    {
        new DspCommand(CommandKind.SetParam, 0, "gain", "gain", float.NaN),
        new DspCommand(CommandKind.SetParam, 0, "gain", "gain", float.PositiveInfinity),
        new DspCommand(CommandKind.SetParam, 0, "gain", "gain", 1, float.NaN),
        new DspCommand(CommandKind.SetParam, 0, "gain", "gain", 1, -1),
        new DspCommand(CommandKind.SetParam, 0, "gain", "gain", 5),
        new DspCommand(CommandKind.SetParam, 0, "nope", "gain", 1),
        new DspCommand(CommandKind.SetParam, 0, "gain", "nope", 1),
        new DspCommand(CommandKind.SetParam, 0, null!, null!, 1),
        new DspCommand(CommandKind.SetParam, -1, "gain", "gain", 1),
        new DspCommand(CommandKind.NoteOn, 0, Value: float.NaN, Value2: 1),
        new DspCommand(CommandKind.NoteOn, 0, Value: 128, Value2: 1),
        new DspCommand(CommandKind.NoteOn, 0, Value: 60, Value2: 2),
        new DspCommand(CommandKind.NoteOff, 0, Value: -1),
        new DspCommand(CommandKind.AddModule, 0, "x", "nosuchtype"),
        new DspCommand(CommandKind.AddModule, 0, "gain", "gain"),
        new DspCommand(CommandKind.AddModule, 0, "", "gain"),
        new DspCommand(CommandKind.RemoveModule, 0, "nope"),
        new DspCommand((CommandKind)99, 0),
        new DspCommand((CommandKind)0, 0),
        default,
    };

    [Theory]
    [MemberData(nameof(BadCommands))]
    public void InvalidCommandsAreIgnoredCountedAndNeverThrow(DspCommand bad)
    {
        float[] plain = Render.Blocks(SineThroughGain(), 2, 256);
        ModuleHost host = SineThroughGain();
        host.QueueCommand(bad);
        float[] output = Render.Blocks(host, 2, 256);

        Assert.Equal(1, host.RejectedCommands);
        Assert.True(Render.BitEqual(plain, output));
        Assert.Equal(1f, host.Modules[1].GetParam("gain"));
        Assert.Equal(2, host.Modules.Count);
    }

    [Fact]
    public void OffsetsPastTheBlockEndApplyOnItsLastFrame()
    {
        ModuleHost host = SineThroughGain();
        host.QueueCommand(new DspCommand(CommandKind.SetParam, 100_000, "gain", "gain", 0f));
        float[] plain = Render.Blocks(SineThroughGain(), 1, 256);
        float[] output = Render.Blocks(host, 1, 256);

        Assert.Equal(0, host.RejectedCommands);
        Assert.Equal(2 * 255, Render.FirstDifference(plain, output));
    }

    [Fact]
    public void AFullCommandQueueRejectsNewCommandsAndKeepsAcceptedOnes()
    {
        ModuleHost host = SineThroughGain();
        for (int i = 0; i < ModuleHost.CommandCapacity; i++)
        {
            Assert.True(host.TryQueueCommand(new DspCommand(CommandKind.SetParam, 0, "gain", "gain", 0.5f)));
        }

        Assert.False(host.TryQueueCommand(new DspCommand(CommandKind.SetParam, 0, "gain", "gain", 0.1f)));
        Render.Blocks(host, 1, 512);

        Assert.Equal(1, host.RejectedCommands);
        Assert.Equal(0.5f, host.Modules[1].GetCurrentParam("gain"));
    }

    [Fact]
    public void AddRemoveAndClearModuleCommandsEditTheChainAtTheirOffset()
    {
        var host = new ModuleHost(Render.Rate, 1, 512);
        host.QueueCommand(new DspCommand(CommandKind.AddModule, 64, "o", "osc"));
        float[] first = Render.Blocks(host, 1, 256);
        host.QueueCommand(new DspCommand(CommandKind.RemoveModule, 0, "o"));
        host.QueueCommand(new DspCommand(CommandKind.AddModule, 0, "n", "noise"));
        host.QueueCommand(new DspCommand(CommandKind.ClearModules, 128));
        float[] second = Render.Blocks(host, 1, 256);

        Assert.All(first[..64], v => Assert.Equal(0f, v));
        Assert.Contains(first[64..], v => v != 0f);
        Assert.Contains(second[..128], v => v != 0f);
        Assert.All(second[128..], v => Assert.Equal(0f, v));
        Assert.Empty(host.Modules);
        Assert.Equal(0, host.RejectedCommands);
    }

    [Fact]
    public void ABlockThatIsNotWholeFramesOrTooLongIsACallerError()
    {
        var host = new ModuleHost(Render.Rate, 2, 128);

        Assert.Throws<ArgumentException>(() => host.ProcessChain(new float[3]));
        Assert.Throws<ArgumentException>(() => host.ProcessChain(new float[2 * 129]));
    }
}
