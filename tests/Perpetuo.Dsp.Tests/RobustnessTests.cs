using Perpetuo.Protocol;

namespace Perpetuo.Dsp.Tests;

public sealed class RobustnessTests
{
    public static TheoryData<string> Types() => new(ModuleRegistry.Types.Select(t => t.Type));

    [Theory]
    [MemberData(nameof(Types))]
    public void ResetGivesIdenticalOutputForEveryModuleType(string type)
    {
        ModuleHost host = DefaultPatch.CreateHost(Render.Rate, 2, 256);
        host.AddModule("noise", "n2", [Render.P("level", 0.05f)]);
        host.AddModule(type, "under-test");
        float[] first = Render.Blocks(host, 100, 256);
        host.Reset();
        float[] second = Render.Blocks(host, 100, 256);

        Assert.Equal(-1, Render.FirstDifference(first, second));
        Assert.True(Render.Rms(first) > 0.001);
    }

    [Fact]
    public void ResetKeepsParameterValuesAndEndsRamps()
    {
        ModuleHost host = DefaultPatch.CreateHost(Render.Rate, 2, 256);
        host.QueueCommand(new DspCommand(CommandKind.SetParam, 0, "filter", "cutoff", 5000, 10));
        Render.Blocks(host, 2, 256);
        host.Reset();

        Assert.Equal(5000f, host.Modules[2].GetCurrentParam("cutoff"));
    }

    [Fact]
    public void ExtremeParametersNeverProduceNaNOrInfinity()
    {
        var rng = new Xorshift(7);
        var host = new ModuleHost(Render.Rate, 2, 256);
        host.AddModule("seq", "seq", [Render.P("bpm", 300), Render.P("gate", 0)]);
        host.AddModule("synth", "synth", [Render.P("voices", 16), Render.P("attack", 0.0005f), Render.P("release", 20)]);
        host.AddModule("noise", "noise", [Render.P("level", 1)]);
        host.AddModule("osc", "osc", [Render.P("freq", 20000), Render.P("detune", 1200), Render.P("level", 1), Render.P("wave", 2)]);
        host.AddModule("filter", "f1", [Render.P("resonance", 1), Render.P("cutoff", 20000)]);
        host.AddModule("filter", "f2", [Render.P("resonance", 1), Render.P("cutoff", 20), Render.P("mode", 1)]);
        host.AddModule("gain", "gain", [Render.P("gain", 4)]);
        host.AddModule("pan", "pan", [Render.P("pan", -1)]);
        float[] x = Render.Blocks(host, 2000, 256, (h, b) =>
        {
            IModule m = h.Modules[rng.Next(0, h.Modules.Count)];
            ParamDescriptor p = m.Descriptor.Params[rng.Next(0, m.Descriptor.Params.Count)];
            float v = rng.Next(0, 3) switch { 0 => p.Min, 1 => p.Max, _ => rng.NextFloat(p.Min, p.Max) };
            h.QueueCommand(new DspCommand(CommandKind.SetParam, rng.Next(0, 256), m.Id, p.Name, v, rng.Next(0, 2) * 0.01f));
            h.QueueCommand(new DspCommand(CommandKind.NoteOn, rng.Next(0, 256), Value: rng.Next(0, 128), Value2: 1));
            h.QueueCommand(new DspCommand(CommandKind.SetParam, 0, "f1", "cutoff", float.NaN));
            h.QueueCommand(new DspCommand(CommandKind.NoteOn, 0, Value: float.PositiveInfinity, Value2: 1));
        });

        Assert.All(x, v => Assert.True(float.IsFinite(v)));
        Assert.Equal(0, host.NonFiniteSamples);
        Assert.Equal(4000, host.RejectedCommands);
    }

    [Fact]
    public void ConstructorRejectsNonsenseFormats()
    {
        Assert.Throws<DspException>(() => new ModuleHost(0, 2, 256));
        Assert.Throws<DspException>(() => new ModuleHost(48000, 0, 256));
        Assert.Throws<DspException>(() => new ModuleHost(48000, 2, 0));
    }
}
