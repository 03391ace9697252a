using System.Diagnostics;
using Xunit.Abstractions;

namespace Perpetuo.Lv2.Tests;

public sealed class CatalogTests(CatalogFixture fixture, ITestOutputHelper output) : IClassFixture<CatalogFixture>
{
    [Fact]
    public void PlateIsListedWithItsPortsRangesAndDefaults()
    {
        Lv2PluginInfo plate = fixture.Catalog.Find(CatalogFixture.Plate) ?? throw new InvalidOperationException("swh-lv2 is not installed");

        Assert.Equal("Plate reverb", plate.Name);
        Assert.Equal(1, plate.AudioInputs);
        Assert.Equal(2, plate.AudioOutputs);
        Assert.Equal(0, plate.ControlOutputs);
        Assert.True(plate.Supported, plate.Reason);
        Assert.Equal("", plate.Reason);
        Assert.Equal(["time", "damping", "wet"], plate.ControlInputs.Select(c => c.Symbol));
        // lv2info: time 0.01..8.5 default 4.255; damping 0..1 default 0.25; wet 0..1 default 0.25
        Assert.Equal((0.01f, 8.5f, 4.255f), Range(plate.ControlInputs[0]));
        Assert.Equal((0f, 1f, 0.25f), Range(plate.ControlInputs[1]));
        Assert.Equal((0f, 1f, 0.25f), Range(plate.ControlInputs[2]));
        Assert.Equal("Reverb time", plate.ControlInputs[0].Name);
        Assert.Equal([0, 1, 2], plate.ControlInputs.Select(c => c.PortIndex));
    }

    [Fact]
    public void PluginsAreSortedByUriAndEachHasAReasonExactlyWhenUnsupported()
    {
        IReadOnlyList<Lv2PluginInfo> all = fixture.Catalog.Plugins;

        Assert.True(all.Count > 100, $"{all.Count} plugins");
        Assert.Equal(all.Select(p => p.Uri).Order(StringComparer.Ordinal), all.Select(p => p.Uri));
        Assert.All(all, p => Assert.Equal(p.Supported, p.Reason.Length == 0));
        Assert.All(all.SelectMany(p => p.ControlInputs), c => Assert.InRange(c.Default, c.Min, c.Max));
    }

    [Fact]
    public void MidiInstrumentsAreMarkedAndSupported()
    {
        Lv2PluginInfo jx10 = fixture.Catalog.Find("http://drobilla.net/plugins/mda/JX10") ?? throw new InvalidOperationException("mda-lv2 is not installed");

        Assert.True(jx10.HasMidiInput);
        Assert.True(jx10.Supported, jx10.Reason);
        Assert.Contains(Lv2Uris.UridMap, jx10.RequiredFeatures);
    }

    [Fact]
    public void AFullScanIsTimed()
    {
        var clock = Stopwatch.StartNew();
        using (Lv2Catalog catalog = Lv2Catalog.Load())
        {
            Assert.NotEmpty(catalog.Plugins);
        }
        output.WriteLine($"full scan (lilv_world_load_all + describe every plugin + free): {clock.Elapsed.TotalMilliseconds:0.0} ms");
    }

    private static (float, float, float) Range(Lv2ControlInput c) => (c.Min, c.Max, c.Default);
}
