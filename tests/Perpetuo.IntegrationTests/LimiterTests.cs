using System.Text.Json;

namespace Perpetuo.IntegrationTests;

/// <summary>The output safety stage end to end: in both workers, reported by the engine, and in the reference render.</summary>
public sealed class LimiterTests : IDisposable
{
    /// <summary>SafetyClipper.Ceiling: -0.3 dBFS.</summary>
    private const float Ceiling = 0.966f;

    /// <summary>The default patch's chain with its gain at 4 and three more gains at 4: about 256 times too loud.</summary>
    private const string HotPatch = """
        {"modules": [
          {"type": "seq", "id": "seq", "params": {"bpm": 120, "steps": 4, "root": 45, "step2": 12, "step3": 7, "step4": 15}},
          {"type": "synth", "id": "synth", "params": {"wave": 1, "level": 0.35}},
          {"type": "filter", "id": "filter", "params": {"cutoff": 1400, "resonance": 0.9}},
          {"type": "gain", "id": "gain", "params": {"gain": 4}},
          {"type": "gain", "id": "g2", "params": {"gain": 4}},
          {"type": "gain", "id": "g3", "params": {"gain": 4}},
          {"type": "gain", "id": "g4", "params": {"gain": 4}}
        ]}
        """;

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("perpetuo-it-");

    private string PathOf(string name) => Path.Combine(_dir.FullName, name);

    [Fact]
    public void AHotPatchPlaysWithinTheCeilingReportsTheClippingAndEqualsItsRender()
    {
        File.WriteAllText(PathOf("hot.json"), HotPatch);
        string osc = $"127.0.0.1:{Tools.FreeUdpPort()}";
        using Perpetuo play = Perpetuo.Start(_dir.FullName, "play", "--patch", "hot.json", "--output", "wav:out.wav", "--seconds", "6",
                                             "--osc", osc, "--ring-depth", RingDepth.Hitless, "--quiet");
        Assert.NotNull(Engine.ActivePidWithStandby(osc, TimeSpan.FromSeconds(20))); // every replica renders (a loaded machine starts slowly)
        Thread.Sleep(500); // and has clipped a few blocks of the hot patch
        JsonElement status = Engine.Status(osc, TimeSpan.FromSeconds(10));
        Assert.Equal(0, play.WaitForExit(TimeSpan.FromSeconds(60)));
        var render = Perpetuo.Run(_dir.FullName, TimeSpan.FromSeconds(60), "render", "--patch", "hot.json", "--seconds", "6", "--out", "ref.wav");
        Assert.True(render.Code == 0, render.Stderr);

        float[] played = Audio.WavFile.Read(PathOf("out.wav")).Samples;
        Assert.InRange(played.Max(MathF.Abs), 0.9f, Ceiling);
        Assert.True(status.GetProperty("limiter").GetBoolean());
        Assert.True(status.GetProperty("limiter_blocks").GetInt64() > 0, status.ToString());
        foreach (JsonElement slot in status.GetProperty("slots").EnumerateArray())
        {
            Assert.True(slot.GetProperty("limiter_blocks").GetInt64() > 0, status.ToString()); // both replicas clip alike
        }
        Assert.Matches(@"limiter clipped [1-9]\d* blocks", play.Stderr);
        Assert.Contains(" 0 underruns", play.Stderr, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllBytes(PathOf("ref.wav")), File.ReadAllBytes(PathOf("out.wav")));
    }

    [Fact]
    public void LimiterBlocksNeverGoDownWhenTheActiveWorkerIsKilledAndRespawned()
    {
        File.WriteAllText(PathOf("hot.json"), HotPatch);
        string osc = $"127.0.0.1:{Tools.FreeUdpPort()}";
        using Perpetuo play = Perpetuo.Start(_dir.FullName, "play", "--patch", "hot.json", "--output", "null", "--seconds", "10",
                                             "--osc", osc, "--ring-depth", RingDepth.Hitless, "--quiet");
        int? pid = Engine.ActivePidWithStandby(osc, TimeSpan.FromSeconds(20));
        Assert.NotNull(pid);
        Thread.Sleep(2000); // long enough that a respawned worker's own count stays below its predecessor's
        JsonElement before = Engine.Status(osc, TimeSpan.FromSeconds(10));
        int killed = before.GetProperty("active_slot").GetInt32();
        Assert.Equal(pid.Value, before.GetProperty("slots")[killed].GetProperty("pid").GetInt32());
        long[] last = [.. before.GetProperty("slots").EnumerateArray().Select(x => x.GetProperty("limiter_blocks").GetInt64())];
        Assert.True(last[killed] > 0, before.ToString());
        Signals.Send(pid.Value, Signals.SIGKILL);

        // Through the kill, the respawn from the survivor's snapshot and its verification, no slot's count goes back.
        var sw = System.Diagnostics.Stopwatch.StartNew();
        bool back = false;
        while (!back && sw.Elapsed < TimeSpan.FromSeconds(6))
        {
            JsonElement s = Engine.Status(osc, TimeSpan.FromSeconds(10));
            JsonElement slots = s.GetProperty("slots");
            for (int i = 0; i < last.Length; i++)
            {
                long now = slots[i].GetProperty("limiter_blocks").GetInt64();
                Assert.True(now >= last[i], $"slot {i}: limiter_blocks went from {last[i]} to {now}: {s}");
                last[i] = now;
            }
            JsonElement respawned = slots[killed];
            back = respawned.GetProperty("pid").GetInt32() is int p && p > 0 && p != pid.Value
                   && respawned.GetProperty("role").GetString() is "standby" or "active" or "trailing";
            Thread.Sleep(50);
        }
        Assert.True(back, "the killed slot did not come back");
        Thread.Sleep(500); // the new worker clips too, on top of its predecessor's count
        long after = Engine.Status(osc, TimeSpan.FromSeconds(10)).GetProperty("slots")[killed].GetProperty("limiter_blocks").GetInt64();
        Assert.True(after > last[killed], $"{after} after the respawn, {last[killed]} before");
        Assert.Equal(0, play.WaitForExit(TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public void WithNoLimiterOnBothPlayAndRenderTheHotPatchExceedsTheCeilingAndStillEqualsItsRender()
    {
        File.WriteAllText(PathOf("hot.json"), HotPatch);
        var play = Perpetuo.Run(_dir.FullName, TimeSpan.FromSeconds(60), "play", "--patch", "hot.json", "--output", "wav:out.wav",
                                "--seconds", "2", "--osc", "none", "--ring-depth", RingDepth.Hitless, "--quiet", "--no-limiter");
        Assert.True(play.Code == 0, play.Stderr);
        var render = Perpetuo.Run(_dir.FullName, TimeSpan.FromSeconds(60), "render", "--patch", "hot.json", "--seconds", "2",
                                  "--out", "ref.wav", "--no-limiter");
        Assert.True(render.Code == 0, render.Stderr);

        Assert.True(Audio.WavFile.Read(PathOf("out.wav")).Samples.Max(MathF.Abs) > 1f);
        Assert.Contains("limiter off", play.Stderr, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllBytes(PathOf("ref.wav")), File.ReadAllBytes(PathOf("out.wav")));
    }

    [Fact]
    public void TheJournalOfANoLimiterSessionRendersWithTheLimiterOffAndItsBlockWithoutBeingTold()
    {
        File.WriteAllText(PathOf("hot.json"), HotPatch);
        var play = Perpetuo.Run(_dir.FullName, TimeSpan.FromSeconds(60), "play", "--patch", "hot.json", "--output", "wav:out.wav",
                                "--seconds", "2", "--osc", "none", "--ring-depth", RingDepth.Hitless, "--quiet", "--no-limiter",
                                "--block", "512", "--journal", "j.jsonl");
        Assert.True(play.Code == 0, play.Stderr);
        var render = Perpetuo.Run(_dir.FullName, TimeSpan.FromSeconds(60), "render", "--patch", "hot.json", "--journal", "j.jsonl",
                                  "--seconds", "2", "--out", "ref.wav");
        Assert.True(render.Code == 0, render.Stderr);

        using (JsonDocument session = JsonDocument.Parse(File.ReadLines(PathOf("j.jsonl")).First()))
        {
            JsonElement line = session.RootElement;
            Assert.Equal("session", line.GetProperty("kind").GetString());
            Assert.Equal(48000, line.GetProperty("rate").GetInt32());
            Assert.Equal(2, line.GetProperty("channels").GetInt32());
            Assert.Equal(512, line.GetProperty("block").GetInt32());
            Assert.False(line.GetProperty("limiter").GetBoolean());
            Assert.Equal(JsonValueKind.Object, line.GetProperty("patch").ValueKind); // the patch played, in the line
        }
        Assert.True(Audio.WavFile.Read(PathOf("out.wav")).Samples.Max(MathF.Abs) > 1f); // the limiter really was off
        Wav.AssertIdentical(PathOf("out.wav"), PathOf("ref.wav"));
    }

    [Theory]
    [InlineData("--no-limiter", "--no-limiter contradicts", "played with the limiter on")]
    [InlineData("--block 512", "--block 512 contradicts", "played with --block 256")]
    [InlineData("--rate 44100", "--rate 44100 contradicts", "played with --rate 48000")]
    public void RenderRefusesAnOptionThatContradictsTheJournalsSession(string option, string conflict, string recorded)
    {
        File.WriteAllText(PathOf("j.jsonl"), """{"kind":"session","rate":48000,"channels":2,"block":256,"limiter":true}""" + "\n");
        var render = Perpetuo.Run(_dir.FullName, TimeSpan.FromSeconds(60),
                                  ["render", "--journal", "j.jsonl", "--seconds", "1", "--out", "ref.wav", .. option.Split(' ')]);
        Assert.NotEqual(0, render.Code);
        Assert.Contains(conflict, render.Stderr, StringComparison.Ordinal);
        Assert.Contains(recorded, render.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(PathOf("ref.wav")));
        var agreeing = Perpetuo.Run(_dir.FullName, TimeSpan.FromSeconds(60),
                                    "render", "--journal", "j.jsonl", "--seconds", "1", "--out", "ref.wav", "--block", "256");
        Assert.True(agreeing.Code == 0, agreeing.Stderr);
    }

    public void Dispose() => _dir.Delete(recursive: true);
}
