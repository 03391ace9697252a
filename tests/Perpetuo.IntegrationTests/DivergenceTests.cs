using Perpetuo.Cli;
using Perpetuo.Control.Osc;

namespace Perpetuo.IntegrationTests;

/// <summary>
/// Replicas disagree: the engine decides which is right by evidence, not by role — with three, by the majority at
/// once; with two, by a replay from confirmed state (a referee).
/// </summary>
public sealed class DivergenceTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("perpetuo-it-");

    private string PathOf(string name) => Path.Combine(_dir.FullName, name);

    public void Dispose() => _dir.Delete(recursive: true);

    [Theory]
    [InlineData(true, 3, "two replicas agree against the block played")]
    [InlineData(false, 3, "another replica agrees with the block played")]
    [InlineData(true, 2, "disagrees")]
    [InlineData(false, 2, "agrees")]
    public void TheReplicaThatDivergedIsReplacedWhetherItWasTheActiveOrTheStandby(bool activeGoesWrong, int slots, string evidence)
    {
        const string seconds = "10";
        var render = Perpetuo.Run(_dir.FullName, TimeSpan.FromSeconds(60), "render", "--seconds", seconds, "--out", "ref.wav");
        Assert.True(render.Code == 0, render.Stderr);
        string osc = $"127.0.0.1:{Tools.FreeUdpPort()}";
        using Perpetuo play = Perpetuo.Start(_dir.FullName, "play", "--output", "wav:out.wav", "--seconds", seconds, "--osc", osc,
                                             "--events", "events.jsonl", "--allow-fault-injection", "--checkpoint-seconds", "2", "--ring-depth", RingDepth.Hitless,
                                             "--slots", slots.ToString(System.Globalization.CultureInfo.InvariantCulture), "--quiet");
        Assert.NotNull(Engine.ActivePidWithStandby(osc, TimeSpan.FromSeconds(30)));
        Thread.Sleep(3000); // a confirmed checkpoint exists: the referee replays from it
        System.Text.Json.JsonElement status = Engine.Status(osc, TimeSpan.FromSeconds(5));
        int active = status.GetProperty("active_slot").GetInt32();
        int wrong = activeGoesWrong ? active : Engine.Standby(status);
        using OscClient client = OscClient.Connect(osc);
        OscMessage? reply = client.Request(new OscMessage("/perpetuo/fault", wrong, "diverge"), TimeSpan.FromSeconds(2));
        Assert.Equal("/perpetuo/done", reply?.Address);
        Assert.Equal(0, play.WaitForExit(TimeSpan.FromSeconds(60)));

        var events = new EventsFile(PathOf("events.jsonl"));
        Assert.True(events.Count("divergence_resolved") >= 1, events.Summary());
        System.Text.Json.JsonElement resolved = events.All("divergence_resolved").First();
        Assert.Equal(wrong, resolved.GetProperty("slot").GetInt32());
        Assert.Contains(evidence, resolved.GetProperty("evidence").GetString(), StringComparison.Ordinal);
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
