using Perpetuo.Audio;
using Perpetuo.Cli;
using Perpetuo.Control.Osc;

namespace Perpetuo.IntegrationTests;

/// <summary>
/// A show, not a demo: live input through real LV2 effects (swh's delay and plate: no snapshot can be taken of them,
/// so every rebuilt worker replays the session from block 0) for longer than the input history the worker regions
/// keep (made 256 blocks, 1.4 s, with the hidden <c>--input-history-blocks</c>, so that the boundary 43 s of real
/// history would put minutes away is reached in seconds). A rebuilt worker reads the older input from the session's
/// record on disk: the standby comes back after every kill, the output has no gap, and it equals
/// <c>render --journal</c>.
/// </summary>
public sealed class LongShowTests : IDisposable
{
    private const int Rate = 48000;
    private const string History = "256";
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("perpetuo-it-");

    private string PathOf(string name) => Path.Combine(_dir.FullName, name);

    public void Dispose() => _dir.Delete(recursive: true);

    private void WriteTakeAndPatch(int seconds)
    {
        var samples = new float[seconds * Rate * 2];
        uint noise = 99;
        double phase = 0;
        for (int f = 0; f < seconds * Rate; f++)
        {
            phase += 2 * Math.PI * (150 + (3000.0 * f / (seconds * Rate))) / Rate;
            noise ^= noise << 13;
            noise ^= noise >> 17;
            noise ^= noise << 5;
            samples[2 * f] = (float)(0.3 * Math.Sin(phase));
            samples[(2 * f) + 1] = ((noise & 0xFFFF) / 65536f - 0.5f) * 0.2f;
        }
        using (var w = new WavWriter(PathOf("in.wav"), Rate, 2))
        {
            w.Write(samples);
        }
        File.WriteAllText(PathOf("show.json"), """
            {"modules":[
              {"type":"input","id":"in"},
              {"type":"lv2:http://plugin.org.uk/swh-plugins/delay_l","id":"echo","params":{"delay_time":0.19}},
              {"type":"lv2:http://plugin.org.uk/swh-plugins/plate","id":"verb","params":{"time":2.5,"wet":0.3}}]}
            """);
    }

    /// <summary>Kills the heard worker <paramref name="kills"/> times, each once every slot is verified again and the session is past the history.</summary>
    private static void KillAfterEachRebuild(string osc, int kills, EventsFile events)
    {
        Engine.Status(osc, TimeSpan.FromSeconds(60)); // play checks its two plugins in child processes before it starts
        for (int kill = 0; kill < kills; kill++)
        {
            Assert.True(Engine.ActivePidWithStandby(osc, TimeSpan.FromSeconds(20)) != null,
                        $"a verified standby before kill {kill + 1}; events: " + events.Summary());
            Thread.Sleep(1600); // the session moves another input history on
            int pid = Engine.ActivePidWithStandby(osc, TimeSpan.FromSeconds(20))
                      ?? throw new Xunit.Sdk.XunitException($"no verified standby at kill {kill + 1}; events: " + events.Summary());
            Signals.Send(pid, Signals.SIGKILL);
        }
        Assert.True(Engine.ActivePidWithStandby(osc, TimeSpan.FromSeconds(20)) != null, "a verified standby after the last kill; events: " + events.Summary());
    }

    [Fact]
    public void LiveInputThroughTwoLv2EffectsOutlivesItsInputHistoryWithAStandbyBackAfterEveryKillAndEqualsItsJournal()
    {
        WriteTakeAndPatch(20);
        string osc = $"127.0.0.1:{Tools.FreeUdpPort()}";
        using Perpetuo play = Perpetuo.Start(_dir.FullName, "play", "--patch", "show.json", "--input", "wav:in.wav", "--output", "wav:out.wav",
                                             "--seconds", "16", "--journal", "j.jsonl", "--events", "events.jsonl", "--osc", osc,
                                             "--input-history-blocks", History, "--ring-depth", RingDepth.Hitless, "--quiet");
        var events = new EventsFile(PathOf("events.jsonl"));
        KillAfterEachRebuild(osc, 3, events);
        Assert.Equal(0, play.WaitForExit(TimeSpan.FromSeconds(60)));

        Assert.True(play.Stderr.Contains(" 0 underruns", StringComparison.Ordinal), play.Stderr + "\n" + events.Summary());
        Assert.Equal(0, events.Count("input_history_short"));
        Assert.True(events.Count("snapshot_refused") >= 3, "the plugins' state cannot be copied: every rebuild replayed from block 0; " + events.Summary());
        Assert.True(events.Count("resynced") >= 3, events.Summary());
        var render = Perpetuo.Run(_dir.FullName, TimeSpan.FromSeconds(120), "render", "--journal", "j.jsonl", "--seconds", "16", "--out", "ref.wav");
        Assert.True(render.Code == 0, render.Stderr);
        Wav.AssertIdentical(PathOf("ref.wav"), PathOf("out.wav"));
        Assert.True(Wav.Rms(WavFile.Read(PathOf("out.wav")).Samples) > 0.01, "the input is heard through the chain");
    }

    [Fact]
    public void APluginSessionUnderACommandStreamSpillsItsCommandLogAndEveryRebuildReplaysItExactly()
    {
        // A player's knob moves before two LV2 effects (no checkpoint: every command since the first plugin is kept for
        // a rebuild), past a command window of 256 in the audio process: the older ones are read back from the spill.
        // The knob is an oscillator's pitch: its phase carries every value it ever had, so a rebuild that replayed one
        // wrong or missing command would never match the heard worker's hashes (it would never be verified).
        File.WriteAllText(PathOf("knob.json"), """
            {"modules":[
              {"type":"osc","id":"lead","params":{"freq":220}},
              {"type":"lv2:http://plugin.org.uk/swh-plugins/delay_l","id":"echo","params":{"delay_time":0.19}},
              {"type":"lv2:http://plugin.org.uk/swh-plugins/plate","id":"verb","params":{"time":2.5,"wet":0.3}}]}
            """);
        string osc = $"127.0.0.1:{Tools.FreeUdpPort()}";
        using Perpetuo play = Perpetuo.Start(_dir.FullName, "play", "--patch", "knob.json", "--output", "wav:out.wav",
                                             "--seconds", "14", "--journal", "j.jsonl", "--events", "events.jsonl", "--osc", osc,
                                             "--command-log-window", "256", "--ring-depth", RingDepth.Hitless, "--quiet");
        var events = new EventsFile(PathOf("events.jsonl"));
        Engine.Status(osc, TimeSpan.FromSeconds(60));
        using var stop = new CancellationTokenSource();
        int sent = 0;
        var stream = new Thread(() =>
        {
            using OscClient client = OscClient.Connect(osc);
            while (!stop.IsCancellationRequested)
            {
                float freq = 200f + (7f * (sent % 29));
                if (client.Request(new OscMessage("/perpetuo/param", "lead", "freq", freq), TimeSpan.FromSeconds(2))?.Address == "/perpetuo/done")
                {
                    sent++;
                }
                Thread.Sleep(2);
            }
        });
        stream.Start();
        try
        {
            Engine.WaitUntil(() => Spilled(osc) > 0, events);
            KillAfterEachRebuild(osc, 2, events);
        }
        finally
        {
            stop.Cancel();
            stream.Join();
        }
        long spilled = Spilled(osc);
        Assert.Equal(0, play.WaitForExit(TimeSpan.FromSeconds(60)));

        Assert.True(sent > 1000, $"{sent} commands");
        Assert.True(spilled > 500, $"{spilled} commands on disk");
        Assert.True(play.Stderr.Contains(" 0 underruns", StringComparison.Ordinal), play.Stderr + "\n" + events.Summary());
        Assert.Equal(0, events.Count("command_log_in_memory") + events.Count("command_spill_unavailable"));
        Assert.True(events.Count("resynced") >= 2, events.Summary());
        var render = Perpetuo.Run(_dir.FullName, TimeSpan.FromSeconds(120), "render", "--journal", "j.jsonl", "--seconds", "14", "--out", "ref.wav");
        Assert.True(render.Code == 0, render.Stderr);
        Wav.AssertIdentical(PathOf("ref.wav"), PathOf("out.wav"));
    }

    private static long Spilled(string osc) => Engine.Status(osc, TimeSpan.FromSeconds(10)).GetProperty("command_log_spilled").GetInt64();

    /// <summary>The show for <paramref name="seconds"/> with no --journal; <paramref name="record"/> is its private record's directory.</summary>
    private Perpetuo StartWithoutJournal(string seconds, out string osc, out string record)
    {
        WriteTakeAndPatch(14);
        osc = $"127.0.0.1:{Tools.FreeUdpPort()}";
        Perpetuo play = Perpetuo.Start(_dir.FullName, "play", "--patch", "show.json", "--input", "wav:in.wav", "--output", "null",
                                       "--seconds", seconds, "--events", "events.jsonl", "--osc", osc,
                                       "--input-history-blocks", History, "--ring-depth", RingDepth.Hitless, "--quiet");
        string? found = null;
        bool made = SpinWait.SpinUntil(() =>
        {
            found = Directory.EnumerateDirectories(Path.GetTempPath(), $"perpetuo-session-{play.Process.Id}-*")
                             .FirstOrDefault(d => File.Exists(Path.Combine(d, "session.input.wav")));
            return found != null;
        }, TimeSpan.FromSeconds(20));
        Assert.True(made, $"no private record of play {play.Process.Id} in {Path.GetTempPath()}");
        record = found!;
        return play;
    }

    [Fact]
    public void WithoutAJournalThePrivateRecordServesTheRebuildsAndIsGoneWhenPlayEnds()
    {
        using Perpetuo play = StartWithoutJournal("10", out string osc, out string record);
        var events = new EventsFile(PathOf("events.jsonl"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(record)); // nobody else reads the take
        KillAfterEachRebuild(osc, 2, events);
        Assert.Equal(0, play.WaitForExit(TimeSpan.FromSeconds(60)));

        Assert.True(play.Stderr.Contains(" 0 underruns", StringComparison.Ordinal), play.Stderr + "\n" + events.Summary());
        Assert.Equal(0, events.Count("input_history_short"));
        Assert.True(events.Count("resynced") >= 2, events.Summary());
        Assert.False(Directory.Exists(record), "the private record outlived play");
    }

    [Fact]
    public void AReplayThatCannotHaveItsInputIsNotRestartedAgainAndAgainAndTheEngineSaysWhyOnce()
    {
        // The same show with the record's file removed under the engine (a user cleaning /tmp): a rebuilt worker finds
        // the input before its history gone, stops once, and the slot waits instead of a crash loop; the others play on.
        // A second loss costs its slot only: the last replica plays on alone.
        using Perpetuo play = StartWithoutJournal("12", out string osc, out string record);
        var events = new EventsFile(PathOf("events.jsonl"));
        string input = Path.Combine(record, "session.input.wav");
        Engine.Status(osc, TimeSpan.FromSeconds(60));
        Assert.True(Engine.ActivePidWithStandby(osc, TimeSpan.FromSeconds(20)) != null, events.Summary());
        Thread.Sleep(2000); // past the history
        File.Delete(input); // the recorder still writes to its open file; a new worker cannot open it
        int pid = Engine.ActivePidWithStandby(osc, TimeSpan.FromSeconds(5)) ?? throw new Xunit.Sdk.XunitException(events.Summary());
        Signals.Send(pid, Signals.SIGKILL);
        // Its replacement stops for want of the input; then a second slot loses its worker: what the first learnt about
        // the record holds for every slot, so no replacement is started there either, and nothing is said again.
        bool stopped = SpinWait.SpinUntil(() => events.All("exited").Any(e => e.GetProperty("code").GetInt32() == 5), TimeSpan.FromSeconds(20));
        Assert.True(stopped, "no replacement stopped for want of input: " + events.Summary());
        System.Text.Json.JsonElement status = Engine.Status(osc, TimeSpan.FromSeconds(5)); // the first slot waits: the heard one is killed
        int second = status.GetProperty("slots")[status.GetProperty("active_slot").GetInt32()].GetProperty("pid").GetInt32();
        Assert.True(second > 0, events.Summary());
        Signals.Send(second, Signals.SIGKILL);
        Assert.Equal(0, play.WaitForExit(TimeSpan.FromSeconds(60)));

        Assert.True(play.Stderr.Contains(" 0 underruns", StringComparison.Ordinal), play.Stderr + "\n" + events.Summary()); // one replica played on
        Assert.True(events.Count("input_history_short") == 1, "said once: " + events.Summary());
        Assert.True(events.Count("started") + events.Count("respawned") <= 3 + 1, "a replacement that cannot succeed was started again: " + events.Summary());
        Assert.Contains("session.input.wav", play.Stderr, StringComparison.Ordinal); // the worker said what it lacked
    }
}
