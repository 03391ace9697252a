using Perpetuo.Lv2.Tests;

namespace Perpetuo.Dsp.Tests;

/// <summary>
/// Once a process has run an LV2 plugin, its hosts take no snapshot any more, even with the plugin removed: a
/// plugin may keep state outside its instance (the C library's rand()) that no snapshot carries.
/// </summary>
[Collection(Lv2Collection.Name)]
public sealed class Lv2SnapshotTests
{
    [Fact]
    public void AHostWhoseProcessRanAPluginTakesNoSnapshotEvenWithThePluginGone()
    {
        var host = new ModuleHost(Render.Rate, 1, 256);
        host.AddModule("lv2:" + TestPlugins.GateSynth, "synth");
        Render.Blocks(host, 2, 256);
        host.RemoveModule("synth");

        Assert.False(host.CanSnapshot);
        Assert.True(Lv2Modules.AnyInstantiated);
        Assert.False(new ModuleHost(Render.Rate, 1, 256).CanSnapshot); // a new host of this process too
    }
}
