using System.Diagnostics;
using System.Globalization;
using Perpetuo.Audio;

namespace Perpetuo.IntegrationTests;

/// <summary>
/// <c>play --input wav:FILE</c>: a live input fed to both workers, processed through failovers, journaled with the
/// session, and re-rendered sample for sample.
/// </summary>
public sealed class LiveInputTests : IDisposable
{
    private const int Rate = 48000;
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("perpetuo-it-");

    private string PathOf(string name) => Path.Combine(_dir.FullName, name);

    public void Dispose() => _dir.Delete(recursive: true);

    /// <summary>A stereo take: a sweep on the left, noise on the right (every block different from the next).</summary>
    private float[] WriteTake(string name, int frames)
    {
        var samples = new float[frames * 2];
        uint noise = 12345;
        double phase = 0;
        for (int f = 0; f < frames; f++)
        {
            phase += 2 * Math.PI * (100 + (4000.0 * f / frames)) / Rate;
            noise ^= noise << 13;
            noise ^= noise >> 17;
            noise ^= noise << 5;
            samples[2 * f] = (float)(0.3 * Math.Sin(phase));
            samples[(2 * f) + 1] = ((noise & 0xFFFF) / 65536f - 0.5f) * 0.2f;
        }
        using var w = new WavWriter(PathOf(name), Rate, 2);
        w.Write(samples);
        return samples;
    }

    [Fact]
    public void AnInputThroughAFilterWithOscChangesAndAKillEveryTwoSecondsReRendersFromTheJournalSampleForSample()
    {
        const string seconds = "10";
        float[] take = WriteTake("in.wav", 11 * Rate);
        File.WriteAllText(PathOf("p.json"),
            """{"modules":[{"type":"input","id":"in"},{"type":"filter","id":"filter","params":{"cutoff":3000}},{"type":"gain","id":"amp","params":{"gain":0.8}}]}""");
        int port = Tools.FreeUdpPort();
        string osc = $"127.0.0.1:{port}";
        using Perpetuo play = Perpetuo.Start(_dir.FullName, "play", "--patch", "p.json", "--input", "wav:in.wav", "--output", "wav:out.wav",
                                             "--seconds", seconds, "--journal", "j.jsonl", "--events", "events.jsonl", "--osc", osc,
                                             "--ring-depth", RingDepth.Hitless, "--quiet");
        Engine.Status(osc, TimeSpan.FromSeconds(30));

        int sent = 0, kills = 0;
        var clock = Stopwatch.StartNew();
        var nextKill = TimeSpan.FromSeconds(1);
        while (clock.Elapsed < TimeSpan.FromSeconds(8))
        {
            string cutoff = (400 + (sent * 331 % 5000)).ToString(CultureInfo.InvariantCulture);
            Assert.Equal(0, Perpetuo.Run(_dir.FullName, TimeSpan.FromSeconds(30), "send", "/perpetuo/param", "filter", "cutoff", cutoff, "--osc", osc).Code);
            sent++;
            if (clock.Elapsed > nextKill)
            {
                int? pid = Engine.ActivePidWithStandby(osc, TimeSpan.FromSeconds(1));
                if (pid != null)
                {
                    Signals.Send(pid.Value, Signals.SIGKILL);
                    kills++;
                }
                nextKill = clock.Elapsed + TimeSpan.FromSeconds(2);
            }
            Thread.Sleep(200);
        }
        Assert.Equal(0, play.WaitForExit(TimeSpan.FromSeconds(60)));

        var events = new EventsFile(PathOf("events.jsonl"));
        Assert.True(kills >= 3, $"only {kills} kills happened");
        Assert.True(play.Stderr.Contains(" 0 underruns", StringComparison.Ordinal), play.Stderr + "\n" + events.Summary());
        Assert.True(events.Count("failover") >= kills, events.Summary());
        Assert.True(events.Count("exited") + events.Count("killed") >= kills, events.Summary());

        // The journal kept the input as the workers had it: silence for the blocks rendered before anything was
        // captured (the ring depth), then the take, block for block.
        float[] journaled = WavFile.Read(PathOf("j.input.wav")).Samples;
        int lead = int.Parse(RingDepth.Hitless, CultureInfo.InvariantCulture) * 256 * 2;
        Assert.All(journaled[..lead], s => Assert.Equal(0f, s));
        Assert.True(journaled.Length >= 10 * Rate * 2, $"the journaled input has {journaled.Length / 2} frames");
        Assert.True(journaled.AsSpan(lead).SequenceEqual(take.AsSpan(0, journaled.Length - lead)), "the journaled input is the take, delayed by the lead");

        var replay = Perpetuo.Run(_dir.FullName, TimeSpan.FromSeconds(60), "render", "--patch", "p.json", "--journal", "j.jsonl",
                                  "--seconds", seconds, "--out", "replay.wav");
        Assert.True(replay.Code == 0, replay.Stderr);
        Wav.AssertIdentical(PathOf("replay.wav"), PathOf("out.wav"));

        // The parameter changes are in it: the same input without them sounds different, and the input is heard.
        var plain = Perpetuo.Run(_dir.FullName, TimeSpan.FromSeconds(60), "render", "--patch", "p.json", "--input", "j.input.wav",
                                 "--seconds", seconds, "--out", "plain.wav");
        Assert.True(plain.Code == 0, plain.Stderr);
        float[] played = WavFile.Read(PathOf("out.wav")).Samples;
        Assert.True(Wav.FirstDifference(WavFile.Read(PathOf("plain.wav")).Samples, played) >= 0, "the OSC changes must change the sound");
        Assert.True(Wav.Rms(played) > 0.05, $"the input is heard (rms {Wav.Rms(played)})");
    }

    [Fact]
    public void AMonoTakeIsHeardOnEveryChannelAndPlayRefusesAFileAtAnotherRate()
    {
        using (var w = new WavWriter(PathOf("mono.wav"), Rate, 1))
        {
            w.Write(Enumerable.Range(0, Rate).Select(i => 0.25f * MathF.Sin(i * 0.05f)).ToArray());
        }
        using (var w = new WavWriter(PathOf("44k.wav"), 44100, 2))
        {
            w.Write(new float[4410 * 2]);
        }
        File.WriteAllText(PathOf("p.json"), """{"modules":[{"type":"input","id":"in"}]}""");

        var ok = Perpetuo.Run(_dir.FullName, TimeSpan.FromSeconds(60), "play", "--patch", "p.json", "--input", "wav:mono.wav", "--output", "wav:out.wav",
                              "--seconds", "1", "--osc", "none", "--no-limiter", "--ring-depth", RingDepth.Hitless, "--quiet");
        Assert.True(ok.Code == 0, ok.Stderr);
        float[] output = WavFile.Read(PathOf("out.wav")).Samples;
        int lead = int.Parse(RingDepth.Hitless, CultureInfo.InvariantCulture) * 256;
        for (int f = 0; f < 1000; f++)
        {
            float expected = 0.25f * MathF.Sin(f * 0.05f);
            Assert.Equal(expected, output[2 * (lead + f)]);
            Assert.Equal(expected, output[(2 * (lead + f)) + 1]);
        }

        var refused = Perpetuo.Run(_dir.FullName, TimeSpan.FromSeconds(60), "play", "--patch", "p.json", "--input", "wav:44k.wav", "--output", "null",
                                   "--seconds", "1", "--osc", "none");
        Assert.Equal(2, refused.Code);
        Assert.Contains("44100 Hz", refused.Stderr, StringComparison.Ordinal);
        foreach ((string[] args, string why) in new (string[], string)[]
                 {
                     (["--inputs", "1", "--output", "null"], "needs a sound device"),
                     (["--midi", "--output", "wav:x.wav"], "needs a running JACK server"),
                     (["--midi-map", "p.json"], "--midi-map needs --midi"),
                     (["--midi", "--midi-map", "p.json", "--output", "null"], "not a MIDI map"),
                     (["--inputs", "3", "--channels", "2"], "more than --channels"),
                     (["--inputs", "1", "--input", "wav:mono.wav"], "give one"),
                     (["--input", "wav:mono.wav", "--journal", "x.jsonl", "--output", "wav:x.input.wav"], "another option also names"),
                 })
        {
            var r = Perpetuo.Run(_dir.FullName, TimeSpan.FromSeconds(60), ["play", .. args, "--seconds", "1", "--osc", "none"]);
            Assert.True(r.Code == 2, $"{string.Join(' ', args)}: exit {r.Code}: {r.Stderr}");
            Assert.Contains(why, r.Stderr, StringComparison.Ordinal);
        }
        Assert.False(File.Exists(PathOf("x.wav")), "a refused play truncated its output file");
        var notWav = Perpetuo.Run(_dir.FullName, TimeSpan.FromSeconds(60), "play", "--input", "jack", "--output", "null", "--seconds", "1", "--osc", "none");
        Assert.Equal(2, notWav.Code);
        Assert.Contains("wav:FILE", notWav.Stderr, StringComparison.Ordinal);
    }
}
