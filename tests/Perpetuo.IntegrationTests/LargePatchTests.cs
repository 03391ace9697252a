using System.Text.Json;
using Perpetuo.Cli;
using Perpetuo.Control.Osc;

namespace Perpetuo.IntegrationTests;

/// <summary>
/// A patch load far larger than a block's old drain (256 records) through a real engine, with a worker killed after
/// it: every command takes effect at its own block, so the played audio equals the journal's render.
/// </summary>
public sealed class LargePatchTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("perpetuo-it-");

    private string PathOf(string name) => Path.Combine(_dir.FullName, name);

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public void AWholeChainOfTheMostModulesLoadsAtOneBlockAndReplaysExactlyThroughAKill()
    {
        Directory.CreateDirectory(PathOf("patches"));
        File.WriteAllText(PathOf("patches/big.json"), BigPatch(250));
        File.WriteAllText(PathOf("patches/too-big.json"), BigPatch(257));
        const string seconds = "8";
        string osc = $"127.0.0.1:{Tools.FreeUdpPort()}";
        using Perpetuo play = Perpetuo.Start(_dir.FullName, "play", "--output", "wav:out.wav", "--seconds", seconds, "--osc", osc,
                                             "--journal", "j.jsonl", "--events", "events.jsonl", "--patch-dir", "patches", "--ring-depth", RingDepth.Hitless, "--quiet");
        Assert.NotNull(Engine.ActivePidWithStandby(osc, TimeSpan.FromSeconds(30)));
        using OscClient client = OscClient.Connect(osc);
        OscMessage? tooBig = client.Request(new OscMessage("/perpetuo/patch/load", "too-big.json"), TimeSpan.FromSeconds(5));
        Assert.Equal("/perpetuo/error", tooBig?.Address);
        OscMessage? loaded = client.Request(new OscMessage("/perpetuo/patch/load", "big.json"), TimeSpan.FromSeconds(5));
        Assert.Equal("/perpetuo/done", loaded?.Address);
        int? pid = Engine.ActivePidWithStandby(osc, TimeSpan.FromSeconds(10));
        Assert.NotNull(pid);
        Signals.Send(pid.Value, Signals.SIGKILL);
        Assert.Equal(0, play.WaitForExit(TimeSpan.FromSeconds(60)));

        string[] journal = File.ReadAllLines(PathOf("j.jsonl"))[1..]; // after the session line
        Assert.True(journal.Length > 2 * 256, $"{journal.Length} journal lines"); // twice what one block took before
        Assert.Single(journal.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("block").GetInt64()).Distinct());
        var events = new EventsFile(PathOf("events.jsonl"));
        Assert.True(play.Stderr.Contains(" 0 underruns", StringComparison.Ordinal), play.Stderr + "\n" + events.Summary());
        var replay = Perpetuo.Run(_dir.FullName, TimeSpan.FromSeconds(120), "render", "--journal", "j.jsonl", "--seconds", seconds, "--out", "replay.wav");
        Assert.True(replay.Code == 0, replay.Stderr);
        Wav.AssertIdentical(PathOf("replay.wav"), PathOf("out.wav"));
    }

    /// <summary>A sequencer and a synth, then gains at unity with every parameter set: ~5 records a module.</summary>
    private static string BigPatch(int modules)
    {
        var list = new List<string>
        {
            """{"type":"seq","id":"seq","params":{"bpm":140,"steps":8,"gate":0.5,"root":48,"velocity":0.8,"step1":0,"step2":3,"step3":7,"step4":10,"step5":12,"step6":7,"step7":3,"step8":-49}}""",
            """{"type":"synth","id":"synth","params":{"wave":1,"voices":4,"attack":0.01,"decay":0.2,"sustain":0.4,"release":0.2,"level":0.3}}""",
        };
        for (int i = list.Count; i < modules; i++)
        {
            list.Add("{\"type\":\"pan\",\"id\":\"p" + i + "\",\"params\":{\"pan\":0}}");
        }
        return "{\"modules\":[" + string.Join(",", list) + "]}";
    }
}
