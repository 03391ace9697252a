using System.Text.Json;
using Perpetuo.Protocol;

namespace Perpetuo.Lv2.Tests;

/// <summary>
/// LV2 State and presets through a real native plugin (tests/native/perpetuo-test.lv2/state.c: out = in × trim ×
/// level / 100, its level state of its own): the default state its data gives is loaded before it runs, its state
/// saves to JSON and restores from it exactly, its presets are listed with their values, and a preset's state is
/// restored; every size is bounded.
/// </summary>
public sealed class StateTests(CatalogFixture fixture) : IClassFixture<CatalogFixture>
{
    private const int Block = 64;

    [Fact]
    public void TheDefaultStateItsDataGivesIsLoadedBeforeItRuns()
    {
        using Lv2Plugin p = Active();

        Assert.Equal(0.5f, Play(p)); // level 50, not the 100 it plays without its default state
        Assert.Equal(50f, p.GetControlOutput(0));
        Assert.True(p.HasState);
    }

    [Fact]
    public void ItsStateSavesAsJsonWithEachValueInItsType()
    {
        using Lv2Plugin p = Active();

        using JsonDocument json = JsonDocument.Parse(Lv2State.Save(p));

        JsonElement level = json.RootElement.GetProperty("urn:perpetuo:test:state#level");
        Assert.Equal(Lv2Uris.AtomInt, level.GetProperty("type").GetString());
        Assert.Equal(50, level.GetProperty("value").GetInt32());
        Assert.Equal("unnamed", json.RootElement.GetProperty("urn:perpetuo:test:state#name").GetProperty("value").GetString());
        Assert.Equal("AAAA", json.RootElement.GetProperty("urn:perpetuo:test:state#tag").GetProperty("base64").GetString()); // a Chunk
    }

    [Fact]
    public void ASavedStateRestoresIntoAFreshInstanceExactly()
    {
        using Lv2Plugin a = Active();
        Lv2State.Restore(a, """{"urn:perpetuo:test:state#level": {"type": "http://lv2plug.in/ns/ext/atom#Int", "value": 80}}""");
        string saved = Lv2State.Save(a);

        using Lv2Plugin b = Active();
        Lv2State.Restore(b, saved);

        Assert.Equal(0.8f, Play(b));
        Assert.Equal(saved, Lv2State.Save(b));
    }

    [Theory]
    [InlineData("[1, 2]", "must be a JSON object")]
    [InlineData("{\"k\": 5}", "must be an object with a \"type\"")]
    [InlineData("{\"urn:perpetuo:test:state#level\": {\"type\": \"http://lv2plug.in/ns/ext/atom#Int\", \"value\": \"loud\"}}", "is not one of type")]
    [InlineData("{\"k\": {\"type\": \"urn:x\", \"base64\": \"@@\"}}", "is not base64")]
    [InlineData("{not json", "not valid JSON")]
    public void AStateThatIsNotOneIsRefusedSayingWhere(string json, string why)
    {
        using Lv2Plugin p = Active();

        var e = Assert.Throws<Lv2Exception>(() => Lv2State.Restore(p, json));

        Assert.Contains(why, e.Message, StringComparison.Ordinal);
        Assert.Equal(0.5f, Play(p)); // unchanged
    }

    [Fact]
    public void AStateOfTheLargestSizeIsTakenAndOneByteMoreIsRefused()
    {
        using Lv2Plugin p = Active();
        string Blob(int bytes) => "{\"urn:perpetuo:test:state#blob\": {\"type\": \"urn:x:blob\", \"base64\": \"" + Convert.ToBase64String(new byte[bytes]) + "\"}}";

        Lv2State.Restore(p, Blob(Limits.PluginStateBytes));
        var e = Assert.Throws<Lv2Exception>(() => Lv2State.Restore(p, Blob(Limits.PluginStateBytes + 1)));

        Assert.Contains($"at most {Limits.PluginStateBytes} bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PresetsAreListedInOrderOfUriWithTheirValuesAndWhetherTheyHoldState()
    {
        IReadOnlyList<Lv2Preset> presets = fixture.Catalog.Presets(fixture.Catalog.Find(TestPlugins.State)!);

        Assert.Equal(["urn:perpetuo:test:state#a-quiet", "urn:perpetuo:test:state#b-loud"], presets.Select(p => p.Uri));
        Assert.Equal([1, 2], presets.Select(p => p.Number));
        Assert.Equal(["Quiet", "Loud"], presets.Select(p => p.Label));
        Assert.Equal([new KeyValuePair<string, float>("trim", 0.25f)], presets[0].Values);
        Assert.Equal([false, true], presets.Select(p => p.HasState));
    }

    [Theory]
    [InlineData(Limits.PluginPresets - 2, Limits.PluginPresets)] // with the plugin's own two: the most a plugin lists
    [InlineData(Limits.PluginPresets - 1, Limits.PluginPresets)] // one more: the last by URI is left out
    public void APluginListsAtMostTheLimitsPresets(int added, int listed)
    {
        string bundle = Directory.CreateTempSubdirectory("perpetuo-presets-").FullName;
        try
        {
            var manifest = new System.Text.StringBuilder("@prefix lv2: <http://lv2plug.in/ns/lv2core#> .\n@prefix pset: <http://lv2plug.in/ns/ext/presets#> .\n");
            for (int i = 0; i < added; i++)
            {
                manifest.Append(System.Globalization.CultureInfo.InvariantCulture,
                    $"<urn:perpetuo:test:state#z{i:d5}> a pset:Preset ; lv2:appliesTo <{TestPlugins.State}> ; lv2:port [ lv2:symbol \"trim\" ; pset:value 0.5 ] .\n");
            }
            File.WriteAllText(Path.Combine(bundle, "manifest.ttl"), manifest.ToString());
            using Lv2Catalog catalog = Lv2Catalog.Load([TestPlugins.Bundle, bundle]);

            IReadOnlyList<Lv2Preset> presets = catalog.Presets(catalog.Find(TestPlugins.State)!);

            Assert.Equal(listed, presets.Count);
            Assert.Equal("urn:perpetuo:test:state#a-quiet", presets[0].Uri); // in order of URI: the plugin's own first
        }
        finally
        {
            Directory.Delete(bundle, recursive: true);
        }
    }

    [Fact]
    public void APresetsOwnStateIsRestoredAndItsPortValuesAreTheCallers()
    {
        using Lv2Plugin p = Active();
        Lv2Preset loud = fixture.Catalog.Presets(fixture.Catalog.Find(TestPlugins.State)!)[1];

        fixture.Catalog.RestorePreset(p, loud);

        Assert.Equal(3f, Play(p)); // level 300, trim still 1: setting the port values is the module's
        p.SetControlInput(0, loud.Values[0].Value);
        Assert.Equal(1.5f, Play(p));
    }

    [Fact]
    public void APluginWithoutStateOfItsOwnCannotSaveOne()
    {
        using Lv2Plugin plate = fixture.Catalog.Instantiate(CatalogFixture.Plate, 48000, Block);

        Assert.False(plate.HasState);
        Assert.Contains("has no state of its own", Assert.Throws<Lv2Exception>(() => Lv2State.Save(plate)).Message, StringComparison.Ordinal);
    }

    private static float Play(Lv2Plugin p)
    {
        p.AudioInput(0).Fill(1f);
        p.Run(Block);
        return p.AudioOutput(0)[0];
    }

    private Lv2Plugin Active()
    {
        Lv2Plugin p = fixture.Catalog.Instantiate(TestPlugins.State, 48000, Block);
        p.Activate();
        return p;
    }
}
