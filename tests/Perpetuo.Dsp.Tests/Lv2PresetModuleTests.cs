using Perpetuo.Lv2.Tests;
using Perpetuo.Protocol;

namespace Perpetuo.Dsp.Tests;

/// <summary>
/// Presets and a plugin's own state in the chain (Perpetuo's native state plugin: out = in × trim × level / 100,
/// level its own state, 50 by default; preset 1 sets trim 0.25, preset 2 trim 0.5 and level 300): the preset
/// parameter applies a whole preset from its command's frame, and a patch's preset, state and parameters apply in
/// that order.
/// </summary>
[Collection(Lv2Collection.Name)]
public sealed class Lv2PresetModuleTests
{
    private const string State = "lv2:" + TestPlugins.State;
    private const string Preset = PluginTypes.PresetParam;
    private const string Level80 = """{"urn:perpetuo:test:state#level": {"type": "http://lv2plug.in/ns/ext/atom#Int", "value": 80}}""";
    private const int Block = 256;

    private static ModuleHost Host(IEnumerable<KeyValuePair<string, float>> ps, string? state = null)
    {
        var host = new ModuleHost(Render.Rate, 1, Block) { SafetyClipperEnabled = false };
        host.AddModule("input", "in");
        host.AddModule(State, "s", ps, state);
        return host;
    }

    private static float[] Play(ModuleHost host, int blocks, Action<ModuleHost, int>? commands = null)
    {
        float[] ones = Enumerable.Repeat(1f, Block).ToArray();
        return Render.Blocks(host, blocks, Block, (h, b) =>
        {
            h.Input.Set(ones); // a constant 1: the output is the plugin's gain
            commands?.Invoke(h, b);
        });
    }

    [Fact]
    public void APresetParameterOfThePluginsPresetsFollowsItsControlInputs()
    {
        ModuleHost host = Host([]);

        Assert.Equal(["trim", Preset], host.Modules[1].Descriptor.Params.Select(p => p.Name));
        Assert.Equal(2f, host.Modules[1].Descriptor.Params[1].Max);
    }

    [Fact]
    public void APresetInThePatchSetsItsParametersAndItsState()
    {
        float[] x = Play(Host([Render.P(Preset, 2)]), 2);

        Assert.All(x[Block..], s => Assert.Equal(1.5f, s)); // trim 0.5 × level 300
        Assert.Equal(0.5f, Host([Render.P(Preset, 2)]).Modules[1].GetParam("trim"));
    }

    [Fact]
    public void APresetCommandAppliesFromItsFrame()
    {
        ModuleHost host = Host([]);

        float[] x = Play(host, 2, (h, b) =>
        {
            if (b == 1)
            {
                h.QueueCommand(new DspCommand(CommandKind.SetParam, 100, "s", Preset, 1));
            }
        });

        Assert.All(x[Block..(Block + 100)], s => Assert.Equal(0.5f, s)); // the default state's level 50
        Assert.All(x[(Block + 100)..], s => Assert.Equal(0.125f, s)); // trim 0.25 from the command's frame
        Assert.Equal(0.25f, host.Modules[1].GetParam("trim"));
    }

    [Fact]
    public void APatchModuleAppliesItsPresetThenItsStateThenItsParameters()
    {
        Assert.Equal(0.4f, Play(Host([Render.P(Preset, 2)], Level80), 2)[^1]); // state's level 80 over the preset's 300; preset's trim 0.5
        Assert.Equal(0.8f, Play(Host([Render.P("trim", 1), Render.P(Preset, 2)], Level80), 2)[^1]); // a parameter over the preset, wherever it stands
    }

    [Fact]
    public void ItsOwnStateIsSavedFromTheChain()
    {
        ModuleHost host = Host([], Level80);

        string? saved = host.SaveState("s");

        Assert.Contains("\"value\":80", saved, StringComparison.Ordinal);
        Assert.Null(host.SaveState("in"));
    }

    [Fact]
    public void AStateForAModuleThatKeepsNoneIsRefusedAndTheChainIsUnchanged()
    {
        var host = new ModuleHost(Render.Rate, 1, Block);

        var e = Assert.Throws<DspException>(() => host.AddModule("gain", "g", null, Level80));

        Assert.Contains("keeps no plugin state", e.Message, StringComparison.Ordinal);
        Assert.Empty(host.Modules);
    }
}
