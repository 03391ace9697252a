using System.Diagnostics;
using System.Text.Json;
using Perpetuo.Cli;
using Perpetuo.Control.Commands;
using Perpetuo.Control.Osc;

namespace Perpetuo.IntegrationTests;

/// <summary>
/// Real third-party DSP (swh-lv2, installed by .ci/run) in the worker pair: a patch ending in a delay and a plate
/// reverb plays through SIGKILLs of the heard worker with no gap, identical to `render` of the same patch; plugin
/// parameters are validated against the plugin's ranges, journaled and replayed; a plugin that cannot be replicated
/// is refused with its reason.
/// </summary>
public sealed class Lv2HostingTests : IDisposable
{
    private const string Delay = "lv2:http://plugin.org.uk/swh-plugins/delay_l";
    private const string Plate = "lv2:http://plugin.org.uk/swh-plugins/plate";
    private const string Bandpass = "lv2:http://plugin.org.uk/swh-plugins/bandpass_iir"; // 52 bytes: longer than a record's name
    private const string Uninitialized = "lv2:" + Lv2.Tests.TestPlugins.Uninitialized; // reads memory it never wrote
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("perpetuo-it-");

    private string PathOf(string name) => Path.Combine(_dir.FullName, name);

    private void WritePatch() => File.WriteAllText(PathOf("lv2.json"), $$$"""
        {"modules":[
          {"type":"seq","id":"seq","params":{"bpm":150}},
          {"type":"synth","id":"synth"},
          {"type":"gain","id":"gain","params":{"gain":0.5}},
          {"type":"{{{Delay}}}","id":"echo","params":{"delay_time":0.19}},
          {"type":"{{{Plate}}}","id":"verb","params":{"time":2.5,"wet":0.3}}]}
        """);

    [Fact]
    public void APatchEndingInAnLv2DelayAndReverbPlaysThroughKillsOfTheHeardWorkerIdenticalToItsRender()
    {
        WritePatch();
        string osc = $"127.0.0.1:{Tools.FreeUdpPort()}";
        using Perpetuo play = Perpetuo.Start(_dir.FullName, "play", "--patch", "lv2.json", "--output", "wav:out.wav", "--seconds", "12",
                                             "--osc", osc, "--events", "events.jsonl", "--ring-depth", RingDepth.Hitless, "--quiet");
        var events = new EventsFile(PathOf("events.jsonl"));
        for (int kill = 0; kill < 4; kill++)
        {
            int? active = Engine.ActivePidWithStandby(osc, TimeSpan.FromSeconds(20));
            Assert.True(active != null, "a verified standby before each kill; events: " + events.Summary());
            Thread.Sleep(2000);
            Signals.Send(Engine.ActivePidWithStandby(osc, TimeSpan.FromSeconds(5)) ?? active.Value, Signals.SIGKILL);
        }
        Assert.Equal(0, play.WaitForExit(TimeSpan.FromSeconds(60)));

        Assert.True(play.Stderr.Contains(" 0 underruns", StringComparison.Ordinal), play.Stderr + "\n" + events.Summary());
        Assert.True(events.Count("snapshot_refused") >= 4, "a plugin's state cannot be copied: every respawn replayed; " + events.Summary());
        Assert.True(events.Count("resynced") >= 4, events.Summary());
        var render = Perpetuo.Run(_dir.FullName, TimeSpan.FromSeconds(120), "render", "--patch", "lv2.json", "--seconds", "12", "--out", "ref.wav");
        Assert.True(render.Code == 0, render.Stderr);
        Wav.AssertIdentical(PathOf("ref.wav"), PathOf("out.wav"));
        Assert.True(Wav.Rms(Audio.WavFile.Read(PathOf("out.wav")).Samples) > 0.01, "the chain is audible");
    }

    [Fact]
    public void PluginParametersAreCheckedAgainstThePluginsRangesJournaledAndReplayedExactly()
    {
        WritePatch();
        string osc = $"127.0.0.1:{Tools.FreeUdpPort()}";
        using Perpetuo play = Perpetuo.Start(_dir.FullName, "play", "--patch", "lv2.json", "--output", "wav:out.wav", "--seconds", "6",
                                             "--osc", osc, "--journal", "journal.jsonl", "--ring-depth", RingDepth.Hitless, "--quiet");
        Assert.NotNull(Engine.ActivePidWithStandby(osc, TimeSpan.FromSeconds(30)));
        using OscClient client = OscClient.Connect(osc);
        OscMessage? outOfRange = client.Request(new OscMessage(ControlAddresses.Param, "verb", "time", 9f), TimeSpan.FromSeconds(5));
        Assert.Equal(ControlAddresses.Error, outOfRange?.Address);
        Assert.Contains("8.5", outOfRange!.Arguments[1].AsString(), StringComparison.Ordinal); // plate's time: 0.01 .. 8.5
        Assert.Equal(ControlAddresses.Done, client.Request(new OscMessage(ControlAddresses.Param, "verb", "time", 6f), TimeSpan.FromSeconds(5))?.Address);
        Assert.Equal(ControlAddresses.Done, client.Request(new OscMessage(ControlAddresses.Param, "echo", "delay_time", 0.31f), TimeSpan.FromSeconds(5))?.Address);
        // A plugin whose type is longer than a command record's name field travels hashed; it used to end the audio process.
        Assert.Equal(ControlAddresses.Done, RequestOnceChecked(client, new OscMessage(ControlAddresses.ModuleAdd, Bandpass, "bp"))?.Address);
        string modules = client.Request(new OscMessage(ControlAddresses.Modules), TimeSpan.FromSeconds(5))!.Arguments[0].AsString();
        JsonElement verb = JsonDocument.Parse(modules).RootElement.EnumerateArray().Single(m => m.GetProperty("id").GetString() == "verb");
        Assert.Equal(Plate, verb.GetProperty("type").GetString());
        Assert.Equal(6, verb.GetProperty("params").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "time").GetProperty("value").GetDouble());
        Assert.Equal(0, play.WaitForExit(TimeSpan.FromSeconds(60)));

        string[] journal = File.ReadAllLines(PathOf("journal.jsonl"));
        Assert.Contains(journal, l => l.Contains("\"id\":\"verb\",\"name\":\"time\",\"value\":6", StringComparison.Ordinal));
        Assert.Contains(journal, l => l.Contains("\"kind\":\"module_add\",\"id\":\"bp\",\"name\":\"lv2#", StringComparison.Ordinal));
        var render = Perpetuo.Run(_dir.FullName, TimeSpan.FromSeconds(120), "render", "--patch", "lv2.json", "--journal", "journal.jsonl",
                                  "--seconds", "6", "--out", "ref.wav");
        Assert.True(render.Code == 0, render.Stderr);
        Wav.AssertIdentical(PathOf("ref.wav"), PathOf("out.wav"));
    }

    [Fact]
    public void TheJournalAloneRendersThePluginSessionAndRefusesAnInstalledPluginThatIsNotTheOnePlayed()
    {
        WritePatch();
        using Perpetuo play = Perpetuo.Start(_dir.FullName, "play", "--patch", "lv2.json", "--output", "wav:out.wav", "--seconds", "3",
                                             "--osc", "none", "--journal", "j.jsonl", "--quiet");
        Assert.True(play.WaitForExit(TimeSpan.FromSeconds(60)) == 0, play.Stderr);
        File.WriteAllText(PathOf("lv2.json"), """{"modules":[{"type":"noise","id":"changed"}]}"""); // the file changed since

        var render = Perpetuo.Run(_dir.FullName, TimeSpan.FromSeconds(120), "render", "--journal", "j.jsonl", "--seconds", "3", "--out", "ref.wav");
        Assert.True(render.Code == 0, render.Stderr);
        Wav.AssertIdentical(PathOf("ref.wav"), PathOf("out.wav"));
        string[] lines = File.ReadAllLines(PathOf("j.jsonl"));
        Assert.Equal(2, lines.Count(l => l.Contains("\"kind\":\"plugin\"", StringComparison.Ordinal))); // delay_l and plate, once each

        var both = Perpetuo.Run(_dir.FullName, TimeSpan.FromSeconds(60), "render", "--journal", "j.jsonl", "--patch", "lv2.json",
                                "--seconds", "1", "--out", "ref2.wav");
        Assert.Equal(2, both.Code);
        Assert.Contains("holds the patch the session played", both.Stderr, StringComparison.Ordinal);

        // The same session as if played with another build of plate: refused, one line, exit status 2.
        int plate = Array.FindIndex(lines, l => l.Contains("\"kind\":\"plugin\"", StringComparison.Ordinal) && l.Contains("/plate\"", StringComparison.Ordinal));
        lines[plate] = System.Text.RegularExpressions.Regex.Replace(lines[plate], "\"library\":\"[0-9a-f]*\"", "\"library\":\"0123456789abcdef\"");
        File.WriteAllLines(PathOf("other.jsonl"), lines);
        var refused = Perpetuo.Run(_dir.FullName, TimeSpan.FromSeconds(120), "render", "--journal", "other.jsonl", "--seconds", "1", "--out", "ref3.wav");
        Assert.Equal(2, refused.Code);
        string error = Assert.Single(refused.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"the installed LV2 plugin {Plate[4..]} is not the one the session played (its library differs", error, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutPluginsReadAPluginRequestedOverOscIsRefusedSayingHowToReadThem()
    {
        string osc = $"127.0.0.1:{Tools.FreeUdpPort()}";
        using Perpetuo play = Perpetuo.Start(_dir.FullName, "play", "--output", "null", "--seconds", "3", "--osc", osc, "--quiet");
        Engine.Status(osc, TimeSpan.FromSeconds(30));
        using OscClient client = OscClient.Connect(osc);
        OscMessage? reply = client.Request(new OscMessage(ControlAddresses.ModuleAdd, Plate, "verb"), TimeSpan.FromSeconds(5));
        Assert.Equal(ControlAddresses.Error, reply?.Address);
        Assert.Contains("--plugins", reply!.Arguments[1].AsString(), StringComparison.Ordinal);
        Assert.Equal(0, play.WaitForExit(TimeSpan.FromSeconds(30)));
        Assert.Contains(" 0 GCs", play.Stderr, StringComparison.Ordinal); // no plugin list read, nothing collected
    }

    [Fact]
    public void APluginThatCannotBeReplicatedIsRefusedWithItsReasonOverOscAndInAPatch()
    {
        string osc = $"127.0.0.1:{Tools.FreeUdpPort()}";
        var lv2Path = new Dictionary<string, string> { ["LV2_PATH"] = Lv2.Tests.TestPlugins.Lv2Path };
        using Perpetuo play = Perpetuo.StartWithEnvironment(_dir.FullName, lv2Path, "play", "--output", "null", "--seconds", "20", "--osc", osc, "--quiet", "--plugins");
        Engine.Status(osc, TimeSpan.FromSeconds(60));
        using OscClient client = OscClient.Connect(osc);
        OscMessage? reply = client.Request(new OscMessage(ControlAddresses.ModuleAdd, Uninitialized, "u"), TimeSpan.FromSeconds(5));
        Assert.Equal(ControlAddresses.Error, reply?.Address);
        Assert.Contains("is being checked", reply!.Arguments[1].AsString(), StringComparison.Ordinal); // only when a request names it
        reply = RequestOnceChecked(client, new OscMessage(ControlAddresses.ModuleAdd, Uninitialized, "u"));
        Assert.Equal(ControlAddresses.Error, reply?.Address);
        Assert.Contains("two workers", reply!.Arguments[1].AsString(), StringComparison.Ordinal);
        Assert.Equal(ControlAddresses.Done, RequestOnceChecked(client, new OscMessage(ControlAddresses.ModuleAdd, Plate, "verb"))?.Address);
        Assert.Equal(0, play.WaitForExit(TimeSpan.FromSeconds(60)));

        File.WriteAllText(PathOf("stale.json"), $$$"""{"modules":[{"type":"osc","id":"o"},{"type":"{{{Uninitialized}}}","id":"u"}]}""");
        using Perpetuo refused = Perpetuo.StartWithEnvironment(_dir.FullName, lv2Path, "play", "--patch", "stale.json", "--output", "null", "--seconds", "1");
        Assert.Equal(2, refused.WaitForExit(TimeSpan.FromSeconds(60)));
        Assert.Contains("urn:perpetuo:test:uninitialized", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("two workers", refused.Stderr, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Delete(recursive: true);

    /// <summary>
    /// The reply to <paramref name="request"/> once the plugin it names is checked: the engine checks a plugin the
    /// first time a request names it (in child processes, about a second) and asks for the request again meanwhile.
    /// </summary>
    internal static OscMessage? RequestOnceChecked(OscClient client, OscMessage request)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            OscMessage? reply = client.Request(request, TimeSpan.FromSeconds(5));
            if (reply?.Address != ControlAddresses.Error || !reply.Arguments[1].AsString().Contains("is being checked", StringComparison.Ordinal))
            {
                return reply;
            }
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "the plugin's check never ended: " + reply);
            Thread.Sleep(200);
        }
    }
}
