namespace Perpetuo.Dsp.Tests;

public sealed class AddModuleTests
{
    private static ModuleHost HostWithGain()
    {
        var host = new ModuleHost(Render.Rate, 2, 256);
        host.AddModule("gain", "g");
        return host;
    }

    [Theory]
    [InlineData("wobble", "w", null, 0f, "\"wobble\"")]
    [InlineData("osc", "g", null, 0f, "duplicate module id \"g\"")]
    [InlineData("osc", "", null, 0f, "module id")]
    [InlineData("osc", "o", "pitch", 1f, "unknown parameter \"pitch\" of module type \"osc\"")]
    [InlineData("osc", "o", "freq", 30000f, "out of range [1, 20000]")]
    [InlineData("osc", "o", "freq", float.NaN, "not a finite number")]
    [InlineData("filter", "f", "resonance", float.PositiveInfinity, "\"resonance\"")]
    [InlineData("seq", "s", "steps", 17f, "\"steps\"")]
    public void InvalidAddModuleThrowsNamingTheProblemAndChangesNothing(string type, string id, string? param, float value, string expected)
    {
        ModuleHost host = HostWithGain();
        byte[] before = host.SaveSnapshot();
        KeyValuePair<string, float>[] ps = param is null ? [] : [Render.P(param, value)];

        var e = Assert.Throws<DspException>(() => host.AddModule(type, id, ps));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.Single(host.Modules);
        Assert.Equal(before, host.SaveSnapshot());
    }

    [Fact]
    public void UnknownTypeMessageListsTheKnownTypes()
    {
        var e = Assert.Throws<DspException>(() => HostWithGain().AddModule("x", "x"));

        Assert.Contains("known: osc, noise, adsr, filter, gain, pan, seq, synth, input", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RemoveModuleOfAnUnknownIdThrows()
    {
        ModuleHost host = HostWithGain();

        Assert.Contains("\"nope\"", Assert.Throws<DspException>(() => host.RemoveModule("nope")).Message, StringComparison.Ordinal);
        host.RemoveModule("g");
        Assert.Empty(host.Modules);
    }

    [Fact]
    public void ParametersGivenToAddModuleApplyImmediatelyAndIntegersAreRounded()
    {
        ModuleHost host = HostWithGain();
        host.AddModule("osc", "o", [Render.P("wave", 2.4f), Render.P("freq", 1000)]);
        IModule osc = host.Modules[1];

        Assert.Equal(2f, osc.GetParam("wave"));
        Assert.Equal(1000f, osc.GetCurrentParam("freq"));
        Assert.Equal(["g", "o"], host.Modules.Select(m => m.Id));
    }

    [Fact]
    public void DescribeListsEveryModuleWithItsParametersAndRanges()
    {
        ModuleHost host = HostWithGain();
        host.AddModule("filter", "f", [Render.P("cutoff", 500)]);

        IReadOnlyList<ModuleInfo> info = host.Describe();

        Assert.Equal(["g", "f"], info.Select(m => m.Id));
        ParamInfo cutoff = info[1].Params.Single(p => p.Name == "cutoff");
        Assert.Equal(new ParamInfo("cutoff", 500, 500, 20, 20000), cutoff);
    }

    [Fact]
    public void RegistryDescribesEveryTypeWithDefaultsInsideTheirRanges()
    {
        Assert.Equal(9, ModuleRegistry.Types.Count);
        Assert.All(ModuleRegistry.Types.SelectMany(t => t.Params), p => Assert.InRange(p.Default, p.Min, p.Max));
        Assert.Equal(21, ModuleRegistry.Find("seq")!.Params.Count);
    }
}
