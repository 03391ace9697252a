using System.Diagnostics;
using System.Text.Json;

namespace Perpetuo.IntegrationTests;

/// <summary>`perpetuo plugins` as a user runs it: the same plugins lv2ls lists, plate's parameters as lv2info gives them.</summary>
public sealed class Lv2PluginsCommandTests : IDisposable
{
    private const string Plate = "http://plugin.org.uk/swh-plugins/plate";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("perpetuo-plugins-");

    [Fact]
    public void JsonListsTheSamePluginsAsLv2lsWithPlatesParameters()
    {
        var r = Perpetuo.Run(_dir.FullName, Timeout, "plugins", "--json");
        Assert.True(r.Code == 0, $"exit {r.Code}: {r.Stderr}");

        using JsonDocument json = JsonDocument.Parse(r.Stdout);
        List<JsonElement> plugins = [.. json.RootElement.EnumerateArray()];
        Assert.Equal(Lv2ls().Order(StringComparer.Ordinal), plugins.Select(p => p.GetProperty("uri").GetString()!));
        JsonElement plate = plugins.Single(p => p.GetProperty("uri").GetString() == Plate);
        Assert.Equal("Plate reverb", plate.GetProperty("name").GetString());
        Assert.True(plate.GetProperty("supported").GetBoolean());
        Assert.Equal(1, plate.GetProperty("audio_inputs").GetInt32());
        Assert.Equal(2, plate.GetProperty("audio_outputs").GetInt32());
        var parameters = plate.GetProperty("params").EnumerateArray()
            .Select(p => (p.GetProperty("symbol").GetString(), p.GetProperty("min").GetSingle(), p.GetProperty("max").GetSingle(), p.GetProperty("default").GetSingle()));
        Assert.Equal([("time", 0.01f, 8.5f, 4.255f), ("damping", 0f, 1f, 0.25f), ("wet", 0f, 1f, 0.25f)], parameters);
    }

    [Fact]
    public void TheTableShowsOnePluginsParametersAndSupport()
    {
        var r = Perpetuo.Run(_dir.FullName, Timeout, "plugins", Plate);

        Assert.True(r.Code == 0, $"exit {r.Code}: {r.Stderr}");
        Assert.Contains("Plate reverb: audio 1 in / 2 out", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("[0.01 .. 8.5] default 4.255", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("  supported", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void AnInstrumentIsListedAsSupportedWithItsMidiInput()
    {
        var r = Perpetuo.Run(_dir.FullName, Timeout, "plugins", "http://drobilla.net/plugins/mda/JX10");

        Assert.Equal(0, r.Code);
        Assert.Contains("MDA JX10: audio 0 in / 2 out, MIDI input", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("  supported", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownUriIsOneErrorLineAndExitStatusOne()
    {
        var r = Perpetuo.Run(_dir.FullName, Timeout, "plugins", "http://example.org/none");

        Assert.Equal(1, r.Code);
        Assert.Equal("perpetuo: error: plugins: no LV2 plugin http://example.org/none is installed", r.Stderr.Trim());
    }

    [Fact]
    public void AnEmptyLv2PathGivesAnEmptyList()
    {
        using var p = Perpetuo.StartWithEnvironment(_dir.FullName, new Dictionary<string, string> { ["LV2_PATH"] = _dir.FullName }, "plugins", "--json");

        Assert.Equal(0, p.WaitForExit(Timeout));
        Assert.Equal("[]", p.Stdout.Trim());
    }

    [Fact]
    public void HelpDescribesTheVerb()
    {
        var r = Perpetuo.Run(_dir.FullName, Timeout, "plugins", "--help");

        Assert.Equal(0, r.Code);
        Assert.Contains("--json", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("URI", r.Stdout, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Delete(recursive: true);

    private static List<string> Lv2ls()
    {
        var psi = new ProcessStartInfo("lv2ls") { RedirectStandardOutput = true };
        using Process p = Process.Start(psi)!;
        string text = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
    }
}
