using System.Text.Json;
using Perpetuo.Control.Catalog;
using Perpetuo.Control.Commands;
using Perpetuo.Control.Osc;
using Perpetuo.Control.Patches;
using Perpetuo.Control.Tests.Commands;
using Perpetuo.Protocol;

namespace Perpetuo.Control.Tests.Plugins;

/// <summary>
/// A plugin's preset chosen in a patch (by URI or number) or over OSC becomes its preset parameter and its values,
/// before the module's own parameters; a plugin's saved state travels in the patch file; a plugin's latency shows in
/// the modules JSON.
/// </summary>
public sealed class PresetTests
{
    private static readonly ModuleCatalog Catalog = new(CommandTestData.Catalog.Types, new FakePluginTypes());

    private static PatchSpec Parse(string module) => PatchFile.Parse($$$"""{"modules":[{{{module}}}]}""");

    [Theory]
    [InlineData("urn:x:comp#crush")]
    [InlineData("2")]
    public void APresetInAPatchBecomesItsNumberAndValuesBeforeTheModulesOwnParameters(string preset)
    {
        PatchSpec patch = PatchPresets.Resolve(Parse($$$"""{"type":"{{{FakePluginTypes.Type}}}","id":"c","preset":"{{{preset}}}","params":{"gain":0.5}}"""), Catalog);

        ModuleSpec m = Assert.Single(patch.Modules);
        Assert.Null(m.Preset);
        // The preset's ratio 99 is clamped into the parameter's range; the module's own gain comes last and wins.
        Assert.Equal([new(PluginTypes.PresetParam, 2), new("ratio", 20), new("gain", 1.5f), new("gain", 0.5f)], m.Params);
        Assert.Equal(0.5f, GraphModel.FromPatch(patch, Catalog).Find("c")!.Values[1]);
    }

    [Fact]
    public void APresetsValuesForParametersTheTypeDoesNotHaveAreLeftOut()
    {
        PatchSpec patch = PatchPresets.Resolve(Parse($$$"""{"type":"{{{FakePluginTypes.Type}}}","id":"c","preset":"1"}"""), Catalog);

        Assert.Equal([new(PluginTypes.PresetParam, 1), new("ratio", 2)], patch.Modules[0].Params);
    }

    [Fact]
    public void AnUnknownPresetIsRefusedNamingThePresetsThereAre()
    {
        var e = Assert.Throws<PatchException>(() => PatchPresets.Resolve(Parse($$$"""{"type":"{{{FakePluginTypes.Type}}}","id":"c","preset":"urn:x:comp#none"}"""), Catalog));

        Assert.Contains("modules[0] (id \"c\").preset: unknown preset \"urn:x:comp#none\"", e.Message, StringComparison.Ordinal);
        Assert.Contains("1 urn:x:comp#gentle (\"Gentle\")", e.Message, StringComparison.Ordinal);
        Assert.Contains("has no presets", Assert.Throws<PatchException>(() => PatchPresets.Resolve(Parse("""{"type":"osc","id":"o","preset":"1"}"""), Catalog)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void APluginsStateTravelsInThePatchFileAsItWasWritten()
    {
        const string state = """{"urn:x:comp#curve":{"type":"http://lv2plug.in/ns/ext/atom#Path","value":"/ir/hall.wav"}}""";
        PatchSpec patch = Parse($$$"""{"type":"{{{FakePluginTypes.Type}}}","id":"c","state":{{{state}}}}""");

        Assert.Equal(state, patch.Modules[0].State);
        PatchSpec again = PatchFile.Parse(PatchFile.ToJson(patch));
        Assert.Equal(state, again.Modules[0].State);
        PatchPresets.Resolve(again, Catalog); // valid
    }

    [Theory]
    [InlineData("""{"type":"osc","id":"o","state":{}}""", ".state: only an LV2 plugin keeps a state of its own")]
    [InlineData("""{"type":"lv2:urn:x:comp","id":"c","state":"loud"}""", ".state: must be an object, got a string")]
    [InlineData("""{"type":"lv2:urn:x:comp","id":"c","preset":5}""", ".preset: must be a non-empty string, got 5")]
    public void AStateOrPresetThatCannotBeIsRefusedSayingWhy(string module, string why)
    {
        var e = Assert.Throws<PatchException>(() => PatchPresets.Resolve(Parse(module), Catalog));

        Assert.Contains(why, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void APresetRequestOverOscIsItsNumberAndItsValuesInOneSubmission()
    {
        GraphModel model = GraphModel.FromPatch(Parse($$$"""{"type":"{{{FakePluginTypes.Type}}}","id":"c"}"""), Catalog);

        (ControlRequest? request, string? error) = CommandTestData.Parse(new OscMessage(ControlAddresses.ModulePreset, "c", "urn:x:comp#crush"), model);

        Assert.Null(error);
        Assert.Equal([(PluginTypes.PresetParam, 2f), ("ratio", 20f), ("gain", 1.5f)], request!.Commands.Select(c => (c.Name, c.Value)));
        Assert.All(request.Commands, c => Assert.Equal((CommandKind.SetParam, "c"), (c.Kind, c.Id)));
    }

    [Theory]
    [InlineData("c", "9", "unknown preset \"9\"")]
    [InlineData("lead", "1", "has no presets")]
    [InlineData("nobody", "1", "nobody")]
    public void APresetRequestForAPresetOrModuleThatIsNotThereIsRefused(string id, string preset, string why)
    {
        var patch = new PatchSpec([.. CommandTestData.Patch.Modules, new ModuleSpec(FakePluginTypes.Type, "c", [])]);
        GraphModel model = GraphModel.FromPatch(patch, Catalog);

        (_, string? error) = CommandTestData.Parse(new OscMessage(ControlAddresses.ModulePreset, id, preset), model);

        Assert.Contains(why, error, StringComparison.Ordinal);
    }

    [Fact]
    public void APluginsLatencyShowsInTheModulesJsonAndOtherModulesHaveNone()
    {
        var patch = new PatchSpec([.. CommandTestData.Patch.Modules, new ModuleSpec(FakePluginTypes.Type, "c", [])]);

        using JsonDocument json = JsonDocument.Parse(GraphModel.FromPatch(patch, Catalog).ToJson());

        JsonElement[] modules = [.. json.RootElement.EnumerateArray()];
        Assert.Equal(64, modules[2].GetProperty("latency_frames").GetSingle());
        Assert.False(modules[0].TryGetProperty("latency_frames", out _));
        Assert.Equal(64f, ModuleJson.ParseList(json.RootElement.GetRawText())[2].LatencyFrames);
    }
}
