using Perpetuo.Cli;
using Perpetuo.Control.Osc;

namespace Perpetuo.IntegrationTests;

/// <summary>Two replicas disagree: the engine decides which is right by a replay from confirmed state, not by role.</summary>
public sealed class DivergenceTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("perpetuo-it-");

    private string PathOf(string name) => Path.Combine(_dir.FullName, name);

    public void Dispose() => _dir.Delete(recursive: true);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void TheReplicaThatDivergedIsReplacedWhetherItWasTheActiveOrTheStandby(bool activeGoesWrong)
    {
        const string seconds = "10";
        var render = Perpetuo.Run(_dir.FullName, TimeSpan.FromSeconds(60), "render", "--seconds", seconds, "--out", "ref.wav");
        Assert.True(render.Code == 0, render.Stderr);
        string osc = $"127.0.0.1:{Tools.FreeUdpPort()}";
        using Perpetuo play = Perpetuo.Start(_dir.FullName, "play", "--output", "wav:out.wav", "--seconds", seconds, "--osc", osc,
                                             "--events", "events.jsonl", "--allow-fault-injection", "--checkpoint-seconds", "2", "--ring-depth", RingDepth.Hitless, "--quiet");
        Assert.NotNull(Engine.ActivePidWithStandby(osc, TimeSpan.FromSeconds(30)));
        Thread.Sleep(3000); // a confirmed checkpoint exists: the referee replays from it
        int active = Engine.Status(osc, TimeSpan.FromSeconds(5)).GetProperty("active_slot").GetInt32();
        int wrong = activeGoesWrong ? active : 1 - active;
        using OscClient client = OscClient.Connect(osc);
        OscMessage? reply = client.Request(new OscMessage("/perpetuo/fault", wrong, "diverge"), TimeSpan.FromSeconds(2));
        Assert.Equal("/perpetuo/done", reply?.Address);
        Assert.Equal(0, play.WaitForExit(TimeSpan.FromSeconds(60)));

        var events = new EventsFile(PathOf("events.jsonl"));
        Assert.True(events.Count("divergence_resolved") >= 1, events.Summary());
        System.Text.Json.JsonElement resolved = events.All("divergence_resolved").First();
        Assert.Equal(wrong, resolved.GetProperty("slot").GetInt32());
        Assert.Contains(activeGoesWrong ? "disagrees" : "agrees", resolved.GetProperty("evidence").GetString(), StringComparison.Ordinal);
        // From the block the question was settled on, what was heard is the reference again.
        long settled = resolved.GetProperty("seq").GetInt64();
        float[] played = Audio.WavFile.Read(PathOf("out.wav")).Samples;
        float[] reference = Audio.WavFile.Read(PathOf("ref.wav")).Samples;
        int from = (int)((settled + 8) * 256 * 2);
        Assert.True(from < played.Length - 48000, $"settled too late (block {settled}): {events.Summary()}");
        Assert.Equal(-1, Wav.FirstDifference(reference[from..], played[from..reference.Length]));
        if (!activeGoesWrong)
        {
            Wav.AssertIdentical(PathOf("ref.wav"), PathOf("out.wav")); // a wrong standby is never heard
        }
    }
}
