using System.Diagnostics;
using System.Text.Json;
using Perpetuo.Cli;
using Perpetuo.Control.Commands;
using Perpetuo.Control.Osc;

namespace Perpetuo.IntegrationTests;

/// <summary>
/// Checkpoints bound a session's memory and its worst recovery: when both workers die, the next one resumes from the
/// newest checkpoint (not from block 0) and the audio comes back exactly on the journal's reference.
/// </summary>
public sealed class CheckpointTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("perpetuo-it-");

    private string PathOf(string name) => Path.Combine(_dir.FullName, name);

    [Fact]
    public void WhenBothWorkersDieTheNextResumesFromTheNewestCheckpointAndPlaysExactlyWhatTheJournalRenders()
    {
        string osc = $"127.0.0.1:{Tools.FreeUdpPort()}";
        const string seconds = "10";
        using Perpetuo play = Perpetuo.Start(_dir.FullName, "play", "--output", "wav:out.wav", "--seconds", seconds,
                                             "--journal", "j.jsonl", "--events", "events.jsonl", "--osc", osc,
                                             "--checkpoint-seconds", "1", "--ring-depth", RingDepth.Hitless, "--quiet");
        Engine.Status(osc, TimeSpan.FromSeconds(30));
        var events = new EventsFile(PathOf("events.jsonl"));
        int sent = 0;
        long checkpoint;
        using (OscClient client = OscClient.Connect(osc))
        {
            // Commands all the time, also while checkpoints are requested and taken, and up to the kill.
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < TimeSpan.FromSeconds(3.5))
            {
                Engine.Accept(client, new OscMessage(ControlAddresses.Param, "filter", "cutoff", 300f + (sent * 37 % 3000)));
                Engine.Accept(client, new OscMessage(ControlAddresses.NoteOn, 48 + (sent % 24), 0.6f));
                sent += 2;
                Thread.Sleep(15);
            }
            JsonElement before = Engine.Status(osc, TimeSpan.FromSeconds(10));
            checkpoint = before.GetProperty("checkpoint_seq").GetInt64();
            Assert.True(checkpoint > 0, "a checkpoint every second of audio: there must be one after 3.5 s");
            Assert.True(before.GetProperty("command_log_held").GetInt32() < sent,
                        $"the checkpoints cover older commands, so the log holds fewer than the {sent} sent");
            Engine.Accept(client, new OscMessage(ControlAddresses.Param, "filter", "cutoff", 4321f));
            sent++;
            foreach (int pid in events.Slots().Pids.Values)
            {
                Signals.Send(pid, Signals.SIGKILL);
            }
        }
        Assert.Equal(0, play.WaitForExit(TimeSpan.FromSeconds(60)));

        JsonElement coldStart = events.Read().First(e => e.GetProperty("event").GetString() == "cold_start");
        long from = coldStart.GetProperty("from_block").GetInt64();
        Assert.True(from >= checkpoint, $"resumed from block {from}, not from the newest checkpoint ({checkpoint}) or later");
        Assert.True(events.Count("recovered") >= 1, events.Summary());
        long[] stamps = [.. File.ReadAllLines(PathOf("j.jsonl"))[1..].Select(l => JsonDocument.Parse(l).RootElement.GetProperty("block").GetInt64())];
        Assert.Equal(sent, stamps.Length);
        Assert.Contains(stamps, s => s < from); // commands the new worker got from the checkpoint, not by replay

        var replay = Perpetuo.Run(_dir.FullName, TimeSpan.FromSeconds(60), "render", "--journal", "j.jsonl", "--seconds", seconds, "--out", "ref.wav");
        Assert.True(replay.Code == 0, replay.Stderr);
        var (expected, actual, underruns) = AssertBackOnTheReferenceAfterTheGap(events);
        Assert.Equal(expected.Length, actual.Length);
        Assert.True(underruns.Count > 0);
        int to = (int)(underruns.First * 256 * 2);
        Assert.Equal(-1, Wav.FirstDifference(expected[..to], actual[..to]));
    }

    [Fact]
    public void AWorkerThatCannotLoadTheCheckpointMakesTheEngineFallBackAndTheAudioStillComesBackOnTheReference()
    {
        string osc = $"127.0.0.1:{Tools.FreeUdpPort()}";
        const string seconds = "9";
        var render = Perpetuo.Run(_dir.FullName, TimeSpan.FromSeconds(60), "render", "--seconds", seconds, "--out", "ref.wav");
        Assert.True(render.Code == 0, render.Stderr);
        using Perpetuo play = Perpetuo.Start(_dir.FullName, "play", "--output", "wav:out.wav", "--seconds", seconds,
                                             "--events", "events.jsonl", "--osc", osc, "--checkpoint-seconds", "2",
                                             "--allow-fault-injection", "--ring-depth", RingDepth.Hitless, "--quiet");
        Engine.Status(osc, TimeSpan.FromSeconds(30));
        var events = new EventsFile(PathOf("events.jsonl"));
        using (OscClient client = OscClient.Connect(osc))
        {
            // Both workers will publish their next snapshot with a flipped bit: the first checkpoint (at 2 s) is bad.
            Engine.Accept(client, new OscMessage("/perpetuo/fault", 0, "snapshot"));
            Engine.Accept(client, new OscMessage("/perpetuo/fault", 1, "snapshot"));
        }
        var clock = Stopwatch.StartNew();
        while (events.Count("checkpoint") == 0)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), "no checkpoint was kept: " + events.Summary());
            Thread.Sleep(20);
        }
        foreach (int pid in events.Slots().Pids.Values)
        {
            Signals.Send(pid, Signals.SIGKILL);
        }
        Assert.Equal(0, play.WaitForExit(TimeSpan.FromSeconds(60)));

        JsonElement rejected = events.Read().Single(e => e.GetProperty("event").GetString() == "checkpoint_rejected");
        Assert.True(rejected.GetProperty("fallback").GetBoolean(), "one checkpoint held and nothing dropped: block 0 is the fallback");
        Assert.Contains(events.Read(), e => e.GetProperty("event").GetString() == "exited" && e.GetProperty("code").GetInt32() == 4);
        Assert.True(events.Count("recovered") >= 1, events.Summary());
        AssertBackOnTheReferenceAfterTheGap(events);
    }

    [Fact]
    public void WhenTheNewestOfTwoCheckpointsCannotBeLoadedTheOlderOneIsUsed()
    {
        string osc = $"127.0.0.1:{Tools.FreeUdpPort()}";
        const string seconds = "10";
        var render = Perpetuo.Run(_dir.FullName, TimeSpan.FromSeconds(60), "render", "--seconds", seconds, "--out", "ref.wav");
        Assert.True(render.Code == 0, render.Stderr);
        using Perpetuo play = Perpetuo.Start(_dir.FullName, "play", "--output", "wav:out.wav", "--seconds", seconds,
                                             "--events", "events.jsonl", "--osc", osc, "--checkpoint-seconds", "1",
                                             "--allow-fault-injection", "--ring-depth", RingDepth.Hitless, "--quiet");
        var events = new EventsFile(PathOf("events.jsonl"));
        Engine.WaitUntil(() => Blocks(events, "checkpoint").Length >= 1, events);
        int standby = Engine.Standby(Engine.Status(osc, TimeSpan.FromSeconds(10)));
        using (OscClient client = OscClient.Connect(osc))
        {
            Engine.Accept(client, new OscMessage("/perpetuo/fault", standby, "snapshot")); // the checkpoints' source
        }
        long faultAt = Blocks(events, "fault_injected").Single();
        // Snapshots the standby takes after that block are bad: wait for the first such checkpoint, and kill both
        // workers before the next one (a second later) could replace it.
        Engine.WaitUntil(() => Blocks(events, "checkpoint").Any(b => b > faultAt), events);
        foreach (int pid in events.Slots().Pids.Values)
        {
            Signals.Send(pid, Signals.SIGKILL);
        }
        long[] kept = Blocks(events, "checkpoint");
        long bad = kept.Max(), older = kept.Where(b => b <= faultAt).Max();
        Assert.Equal(0, play.WaitForExit(TimeSpan.FromSeconds(60)));

        long[] coldStarts = [.. events.Read().Where(e => e.GetProperty("event").GetString() == "cold_start").Select(e => e.GetProperty("from_block").GetInt64())];
        string story = $"fault at {faultAt}, kept {string.Join(',', kept)}, cold starts {string.Join(',', coldStarts)}; events: {events.Summary()}";
        // Both slots are cold-started from the bad checkpoint (both refuse it, one rejection replaces it), then from the older.
        Assert.True(coldStarts.Length >= 2 && coldStarts[0] == bad, story);
        Assert.True(coldStarts.SkipWhile(b => b == bad).Any() && coldStarts.SkipWhile(b => b == bad).All(b => b == older), story);
        JsonElement rejected = events.Read().Single(e => e.GetProperty("event").GetString() == "checkpoint_rejected");
        Assert.True(rejected.GetProperty("block").GetInt64() == bad, story);
        Assert.True(rejected.GetProperty("fallback").GetBoolean(), story);
        Assert.True(events.Count("recovered") >= 1, events.Summary());
        AssertBackOnTheReferenceAfterTheGap(events);
    }

    /// <summary>
    /// out.wav equals ref.wav from two blocks after the last underrun on (the gap and its one fade-in block), and the
    /// engine recovered well before the end. Returns both files' samples and the underrun blocks.
    /// </summary>
    private (float[] Expected, float[] Actual, (long Count, long First, long Last) Underruns) AssertBackOnTheReferenceAfterTheGap(EventsFile events)
    {
        float[] expected = Audio.WavFile.Read(PathOf("ref.wav")).Samples;
        float[] actual = Audio.WavFile.Read(PathOf("out.wav")).Samples;
        var underruns = events.Underruns();
        int after = (int)((underruns.Last + 2) * 256 * 2);
        Assert.True(after < expected.Length / 2, "the engine recovered well before the end; events: " + events.Summary());
        Assert.Equal(-1, Wav.FirstDifference(expected[after..], actual[after..]));
        return (expected, actual, underruns);
    }

    private static long[] Blocks(EventsFile events, string kind, string field = "block") =>
        [.. events.Read().Where(e => e.GetProperty("event").GetString() == kind).Select(e => e.GetProperty(field).GetInt64())];

    public void Dispose() => _dir.Delete(recursive: true);
}
