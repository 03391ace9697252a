using System.Text.Json;
using Perpetuo.Lv2.Tests;

namespace Perpetuo.IntegrationTests;

/// <summary>
/// A plugin that crashes, hangs or prints garbage when it is checked costs only itself (Perpetuo's native test
/// plugins beside the installed swh and mda packs): `perpetuo plugins --check` lists every other plugin as before,
/// and play checks only what its patch names, so a patch of swh's plate plays with a crashing plugin installed.
/// </summary>
public sealed class PluginCheckTests : IDisposable
{
    private const string Plate = "http://plugin.org.uk/swh-plugins/plate";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("perpetuo-check-");

    private static Dictionary<string, string> Environment => new() { ["LV2_PATH"] = TestPlugins.Lv2Path };

    private string PathOf(string name) => Path.Combine(_dir.FullName, name);

    [Fact]
    public void TheCheckReportsEachFaultyPluginAsSuchAndEveryOtherAsBefore()
    {
        // The swh and mda packs beside the test plugins: every plugin of every pack CI installs would take minutes.
        using var p = Perpetuo.StartWithEnvironment(_dir.FullName, new Dictionary<string, string> { ["LV2_PATH"] = TestPlugins.SwhAndMdaLv2Path },
                                                    "plugins", "--json", "--check", "--check-seconds", "3");
        Assert.Equal(0, p.WaitForExit(Timeout));

        using JsonDocument json = JsonDocument.Parse(p.Stdout); // the noisy plugin's printf did not get into it
        Dictionary<string, JsonElement> plugins = json.RootElement.EnumerateArray().ToDictionary(j => j.GetProperty("uri").GetString()!);
        Assert.DoesNotContain("forged", plugins.Keys);
        Assert.Equal("crashes (SIGSEGV) when instantiated", Refusal(plugins[TestPlugins.CrashOnInstantiate]));
        Assert.Equal("hangs when instantiated (no answer in 3 s)", Refusal(plugins[TestPlugins.HangOnInstantiate]));
        AssertReplicable(plugins[TestPlugins.Noisy]);
        AssertReplicable(plugins[TestPlugins.Fault]);
        AssertReplicable(plugins[Plate]);
        // Every supported plugin was checked, and all the installed ones that passed before still pass.
        Assert.All(plugins.Values.Where(j => j.GetProperty("supported").GetBoolean()), j => Assert.True(j.TryGetProperty("replicable", out _)));
        Assert.True(plugins.Values.Count(j => j.TryGetProperty("replicable", out JsonElement r) && r.GetBoolean()) >= 100);
    }

    [Fact]
    public void TheTableSaysWhichPluginCrashesWhenInstantiated()
    {
        using var p = Perpetuo.StartWithEnvironment(_dir.FullName, Environment, "plugins", TestPlugins.CrashOnInstantiate, "--check");
        Assert.Equal(0, p.WaitForExit(Timeout));

        Assert.Contains("  not hosted: crashes (SIGSEGV) when instantiated", p.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void PlayChecksOnlyWhatItsPatchNamesSoAPlatePlaysBesideACrashingPlugin()
    {
        File.WriteAllText(PathOf("plate.json"), $$"""{"modules":[{"type":"osc","id":"o"},{"type":"lv2:{{Plate}}","id":"verb"}]}""");
        using var play = Perpetuo.StartWithEnvironment(_dir.FullName, Environment, "play", "--patch", "plate.json", "--output", "null",
                                                       "--seconds", "1", "--osc", "none", "--quiet");
        Assert.True(play.WaitForExit(Timeout) == 0, play.Stderr);

        File.WriteAllText(PathOf("crash.json"), $$"""{"modules":[{"type":"osc","id":"o"},{"type":"lv2:{{TestPlugins.CrashOnInstantiate}}","id":"x"}]}""");
        using var refused = Perpetuo.StartWithEnvironment(_dir.FullName, Environment, "play", "--patch", "crash.json", "--output", "null",
                                                          "--seconds", "1", "--osc", "none", "--quiet");
        Assert.Equal(2, refused.WaitForExit(Timeout));
        Assert.Contains("crashes (SIGSEGV) when instantiated", refused.Stderr, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Delete(recursive: true);

    private static void AssertReplicable(JsonElement plugin) =>
        Assert.True(plugin.GetProperty("replicable").GetBoolean(), plugin.ToString());

    private static string Refusal(JsonElement plugin)
    {
        Assert.False(plugin.GetProperty("replicable").GetBoolean());
        return plugin.GetProperty("replication_reason").GetString()!;
    }
}
