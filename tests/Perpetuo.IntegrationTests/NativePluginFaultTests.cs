using System.Diagnostics;
using System.Text.Json;
using Perpetuo.Cli;
using Perpetuo.Control.Commands;
using Perpetuo.Control.Osc;
using Perpetuo.Lv2.Tests;

namespace Perpetuo.IntegrationTests;

/// <summary>
/// A real native LV2 plugin (tests/native/perpetuo-test.lv2, C) that faults in run() in every replica at the same
/// block, one test per fault kind, through the real LV2 path: with two leaders and a trailing replica, the module is
/// quarantined once, no block is lost from the fault on, play ends on time with status 0, and the played WAV equals
/// `render --journal` (no --patch) over the whole file. A busy loop at real-time priority on both leaders of a
/// two-core machine leaves the control port answering throughout. At RingDepth.Hitless, as every test that asserts no
/// underrun on these VMs (their own stalls); the same faults at the default depth are bench/faults.py's (docs/performance.md).
/// </summary>
public sealed class NativePluginFaultTests : IDisposable
{
    private const int Seconds = 8;
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("perpetuo-native-");

    private static Dictionary<string, string> Environment => new() { ["LV2_PATH"] = TestPlugins.Lv2Path };

    private string PathOf(string name) => Path.Combine(_dir.FullName, name);

    [Theory]
    [InlineData(TestPlugins.Mode.Segv, "crash")]
    [InlineData(TestPlugins.Mode.Abort, "crash")]
    [InlineData(TestPlugins.Mode.Exit, "crash")]
    [InlineData(TestPlugins.Mode.DivideByZero, "crash")]
    [InlineData(TestPlugins.Mode.StackOverflow, "crash")]
    [InlineData(TestPlugins.Mode.BusyLoop, "hang")]
    [InlineData(TestPlugins.Mode.BlockForever, "hang")]
    [InlineData(TestPlugins.Mode.Nan, "nan")]
    public void AFaultOfARealPluginInEveryReplicaIsQuarantinedOnceAndCostsNoBlock(TestPlugins.Mode mode, string kind)
    {
        File.WriteAllText(PathOf("fx.json"), $$$"""
            {"modules":[
              {"type":"seq","id":"seq","params":{"bpm":150}},
              {"type":"synth","id":"synth"},
              {"type":"lv2:{{{TestPlugins.Fault}}}","id":"fx","params":{"mode":{{{(int)mode}}}}},
              {"type":"gain","id":"gain","params":{"gain":0.5}}]}
            """);
        string osc = $"127.0.0.1:{Tools.FreeUdpPort()}";
        var clock = Stopwatch.StartNew();
        using Perpetuo play = Perpetuo.StartWithEnvironment(_dir.FullName, Environment, "play", "--patch", "fx.json", "--output", "wav:out.wav",
                                                            "--seconds", Seconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
                                                            "--osc", osc, "--events", "events.jsonl", "--journal", "j.jsonl", "--quiet",
                                                            "--ring-depth", RingDepth.Hitless);
        var events = new EventsFile(PathOf("events.jsonl"));
        Assert.NotNull(Engine.ActivePidWithStandby(osc, TimeSpan.FromSeconds(60)));
        long startedPlaying = clock.ElapsedMilliseconds;
        // Past the engine's first second, when every worker runs its code for the first time (the deadline switch is
        // armed from there on: TrailingReplica.ArmedAfter).
        Engine.WaitUntil(() => Engine.Status(osc, TimeSpan.FromSeconds(5)).GetProperty("seq").GetInt64() > 48000 * 3 / 2 / 256, events);
        using (OscClient client = OscClient.Connect(osc))
        {
            Engine.Accept(client, new OscMessage(ControlAddresses.Param, "fx", "armed", 1f));
        }
        // The control port answers all along, a plugin spinning at real-time priority in every leader included.
        Engine.WaitUntil(() => Engine.Status(osc, TimeSpan.FromSeconds(2)).GetProperty("quarantined").GetArrayLength() == 1, events);
        int code = play.WaitForExit(TimeSpan.FromSeconds(60));
        long ended = clock.ElapsedMilliseconds;

        Assert.True(code == 0, play.Stderr + "\n" + events.Summary());
        Assert.True(ended - startedPlaying < (Seconds + 10) * 1000, $"play ended {ended - startedPlaying} ms after it played: not on time");
        JsonElement quarantined = Assert.Single(events.All("module_quarantined"));
        Assert.Equal("fx", quarantined.GetProperty("module").GetString());
        string reason = quarantined.GetProperty("reason").GetString()!;
        // A crash is quarantined on the evidence of the leaders' deaths, or by the deadline switch when a dying leader
        // takes longer to end than the output can wait (its reason then is the switch's: it did not finish the block).
        Assert.True(reason == kind || (kind == "crash" && reason == "hang"), $"{reason} for {mode}: {events.Summary()}");
        // The switch's quarantine, once the leaders' evidence confirms it, is named by what they did in the module (a
        // leader judged hung while its abort was still ending it is a hang to the evidence too).
        foreach (JsonElement confirmed in events.All("quarantine_confirmed"))
        {
            string named = confirmed.GetProperty("reason").GetString()!;
            Assert.True(named == kind || (kind == "crash" && named == "hang"), $"confirmed as {named} for {mode}: {events.Summary()}");
        }
        Assert.True(play.Stderr.Contains(" 0 underruns", StringComparison.Ordinal), play.Stderr + "\n" + events.Summary());

        using var render = Perpetuo.StartWithEnvironment(_dir.FullName, Environment, "render", "--journal", "j.jsonl",
                                                         "--seconds", Seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "--out", "ref.wav");
        Assert.True(render.WaitForExit(TimeSpan.FromSeconds(120)) == 0, render.Stderr);
        Wav.AssertIdentical(PathOf("ref.wav"), PathOf("out.wav"));
    }

    [Theory]
    [InlineData(1, "crashes (SIGSEGV)")]
    [InlineData(2, "aborts (SIGABRT)")]
    [InlineData(6, "made no progress")] // a busy loop
    [InlineData(7, "made no progress")] // blocked forever
    public void ARenderOfAModuleThatCrashesOrHangsEndsNamingTheModuleAndTheBlock(int mode, string said)
    {
        // No journal holds the quarantine here (a plugin that faults in render only): the render must end anyway,
        // within its bound, with one line naming the module and the block, never a process that spins forever.
        File.WriteAllText(PathOf("bad.json"), $$$"""
            {"modules":[{"type":"seq","id":"seq"},{"type":"synth","id":"synth"},
                        {"type":"lv2:urn:perpetuo:test:fault","id":"bad","params":{"mode":{{{mode}}},"armed":1}}]}
            """);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var render = Perpetuo.StartWithEnvironment(_dir.FullName, Environment, "render", "--patch", "bad.json", "--seconds", "2", "--out", "bad.wav");
        int code = render.WaitForExit(TimeSpan.FromSeconds(120));
        Assert.True(code == 3, $"exit {code}: {render.Stderr}");
        Assert.Contains("module 'bad' (chain position 2) at block 0", render.Stderr, StringComparison.Ordinal);
        Assert.Contains(said, render.Stderr, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < Protocol.Limits.RenderHangTime + TimeSpan.FromSeconds(30), $"the render took {clock.Elapsed}");
    }

    public void Dispose() => _dir.Delete(recursive: true);
}
