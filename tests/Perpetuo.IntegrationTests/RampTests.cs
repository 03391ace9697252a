using Perpetuo.Cli;
using Perpetuo.Control.Osc;

namespace Perpetuo.IntegrationTests;

/// <summary>A legal ramp of the longest length, with the active worker killed in the middle of it, is hitless.</summary>
public sealed class RampTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("perpetuo-it-");

    private string PathOf(string name) => Path.Combine(_dir.FullName, name);

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public void KillsDuringTheLongestRampsAreHitlessAndTheJournalReplaysThemExactly()
    {
        const string seconds = "8";
        string osc = $"127.0.0.1:{Tools.FreeUdpPort()}";
        using Perpetuo play = Perpetuo.Start(_dir.FullName, "play", "--output", "wav:out.wav", "--seconds", seconds, "--osc", osc,
                                             "--journal", "j.jsonl", "--events", "events.jsonl", "--ring-depth", RingDepth.Hitless, "--quiet");
        Assert.NotNull(Engine.ActivePidWithStandby(osc, TimeSpan.FromSeconds(30)));
        using OscClient client = OscClient.Connect(osc);
        // The longest ramps the engine accepts, over the widest ranges, where float accumulation used to stall,
        // jump, or run past the parameter's maximum (and a snapshot taken then was rejected).
        foreach (OscMessage m in new[]
                 {
                     new OscMessage("/perpetuo/param", "filter", "cutoff", 20000f, 600f),
                     new OscMessage("/perpetuo/param", "gain", "gain", 0f, 600f),
                     new OscMessage("/perpetuo/param", "seq", "bpm", 300f, 600f),
                 })
        {
            Assert.Equal("/perpetuo/done", client.Request(m, TimeSpan.FromSeconds(2))?.Address);
        }
        for (int kill = 0; kill < 3; kill++)
        {
            Thread.Sleep(1200);
            int? pid = Engine.ActivePidWithStandby(osc, TimeSpan.FromSeconds(20));
            Assert.NotNull(pid);
            Signals.Send(pid.Value, Signals.SIGKILL);
        }
        Assert.Equal(0, play.WaitForExit(TimeSpan.FromSeconds(60)));

        var events = new EventsFile(PathOf("events.jsonl"));
        Assert.True(play.Stderr.Contains(" 0 underruns", StringComparison.Ordinal), play.Stderr + "\n" + events.Summary());
        Assert.True(events.Count("resynced") >= 3, "every killed worker was replaced from a snapshot taken mid-ramp: " + events.Summary());
        var replay = Perpetuo.Run(_dir.FullName, TimeSpan.FromSeconds(60), "render", "--journal", "j.jsonl", "--seconds", seconds, "--out", "replay.wav");
        Assert.True(replay.Code == 0, replay.Stderr);
        Wav.AssertIdentical(PathOf("replay.wav"), PathOf("out.wav"));
    }
}
