using System.Diagnostics;

namespace Perpetuo.IntegrationTests;

/// <summary>Real worker processes, real signals, during real playback; the output is compared with the reference.</summary>
public sealed class FailoverTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("perpetuo-it-");

    private string PathOf(string name) => Path.Combine(_dir.FullName, name);

    [Fact]
    public void KillingTheActiveWorkerAgainAndAgainAndHangingOneLeavesTheOutputIdenticalToTheReference()
    {
        var render = Perpetuo.Run(_dir.FullName, TimeSpan.FromSeconds(60), "render", "--seconds", "10", "--out", "ref.wav");
        Assert.True(render.Code == 0, render.Stderr);
        using Perpetuo play = Perpetuo.Start(_dir.FullName, "play", "--output", "wav:out.wav", "--seconds", "10",
                                             "--events", "events.jsonl", "--ring-depth", RingDepth.Hitless, "--quiet");
        var events = new EventsFile(PathOf("events.jsonl"));
        events.WaitUntilStarted();
        Thread.Sleep(1000);
        for (int i = 0; i < 4; i++)
        {
            var (pids, active) = events.Slots();
            Signals.Send(pids[active], Signals.SIGKILL);
            Thread.Sleep(1200);
        }
        var (now, current) = events.Slots();
        Signals.Send(now[now.Keys.First(k => k != current)], Signals.SIGSTOP); // a standby hangs
        Thread.Sleep(1000);
        Signals.Send(events.Slots().Pids[events.Slots().Active], Signals.SIGSTOP); // then the active one
        Assert.Equal(0, play.WaitForExit(TimeSpan.FromSeconds(60)));

        Assert.True(play.Stderr.Contains(" 0 underruns", StringComparison.Ordinal), play.Stderr + "\n" + events.Summary());
        Wav.AssertIdentical(PathOf("ref.wav"), PathOf("out.wav"));
        Assert.True(events.Count("failover") >= 5, "every kill of the active worker is a failover");
        Assert.True(events.Count("hung") >= 2, "both stopped workers are declared hung");
        Assert.True(events.Count("respawned") >= 5);
        Assert.True(events.Count("resynced") >= 5, "each respawned worker is verified by hashes before it stands by");
    }

    /// <summary>
    /// The thresholds hold at every block size (issue 14): hang and slowness are judged in time as well as blocks, the
    /// workers are woken by the callback block by block. At 32 and 64 frames (0.67 and 1.33 ms a block) and at 1024
    /// (21 ms), kills and a stop of the active worker are failovers, never spurious ones, and the output is the
    /// reference render at the same block size. The lead is RingDepth.Hitless's 64 ms in every case (the machine's
    /// own stalls; docs/performance.md, Live latency).
    /// </summary>
    [Theory]
    [InlineData(32)]
    [InlineData(64)]
    [InlineData(1024)]
    public void KillsAndAStopOfTheActiveWorkerAreHitlessAtEveryBlockSize(int block)
    {
        string frames = block.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string depth = (int.Parse(RingDepth.Hitless, System.Globalization.CultureInfo.InvariantCulture) * 256 / block).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var render = Perpetuo.Run(_dir.FullName, TimeSpan.FromSeconds(60), "render", "--seconds", "8", "--block", frames, "--out", "ref.wav");
        Assert.True(render.Code == 0, render.Stderr);
        using Perpetuo play = Perpetuo.Start(_dir.FullName, "play", "--output", "wav:out.wav", "--seconds", "8", "--block", frames,
                                             "--events", "events.jsonl", "--ring-depth", depth, "--quiet");
        var events = new EventsFile(PathOf("events.jsonl"));
        events.WaitUntilStarted();
        Thread.Sleep(1000);
        for (int i = 0; i < 2; i++)
        {
            var (pids, active) = events.Slots();
            Signals.Send(pids[active], Signals.SIGKILL);
            Thread.Sleep(1500);
        }
        int stopped = events.Slots().Pids[events.Slots().Active];
        Signals.Send(stopped, Signals.SIGSTOP);
        Assert.Equal(0, play.WaitForExit(TimeSpan.FromSeconds(60)));

        Assert.True(play.Stderr.Contains(" 0 underruns", StringComparison.Ordinal), play.Stderr + "\n" + events.Summary());
        Wav.AssertIdentical(PathOf("ref.wav"), PathOf("out.wav"));
        Assert.True(events.Count("failover") >= 3, events.Summary());
        Assert.True(events.All("hung").Any(e => e.GetProperty("pid").GetInt32() == stopped), "the stopped worker is declared hung:\n" + events.Summary());
        Assert.Equal(0, events.Count("slow"));
        Assert.True(events.Count("resynced") >= 2, events.Summary());
    }

    [Fact]
    public void WhenBothWorkersDieAtOnceTheGapIsFadedSilenceAndTheAudioComesBackExactlyOnTheReference()
    {
        var render = Perpetuo.Run(_dir.FullName, TimeSpan.FromSeconds(60), "render", "--seconds", "8", "--out", "ref.wav");
        Assert.True(render.Code == 0, render.Stderr);
        using Perpetuo play = Perpetuo.Start(_dir.FullName, "play", "--output", "wav:out.wav", "--seconds", "8",
                                             "--events", "events.jsonl", "--ring-depth", RingDepth.Hitless, "--quiet");
        var events = new EventsFile(PathOf("events.jsonl"));
        events.WaitUntilStarted();
        Thread.Sleep(1500);
        foreach (int pid in events.Slots().Pids.Values)
        {
            Signals.Send(pid, Signals.SIGKILL);
        }
        Assert.Equal(0, play.WaitForExit(TimeSpan.FromSeconds(60)));

        var underruns = events.Underruns();
        Assert.True(underruns.Count > 0);
        Assert.True(events.Count("recovered") >= 1, "a worker replayed from block 0 takes over when there is no survivor");
        var expected = Audio.WavFile.Read(PathOf("ref.wav")).Samples;
        var actual = Audio.WavFile.Read(PathOf("out.wav")).Samples;
        Assert.Equal(expected.Length, actual.Length);
        // After the gap and its one fade-in block, the audio is the reference again, sample for sample.
        int from = (int)((underruns.Last + 2) * 256 * 2);
        Assert.True(from < expected.Length / 2, "the engine recovered well before the end; events: " + events.Summary());
        Assert.Equal(-1, Wav.FirstDifference(expected[from..], actual[from..]));
        // Before the gap, too.
        int to = (int)(underruns.First * 256 * 2);
        Assert.Equal(-1, Wav.FirstDifference(expected[..to], actual[..to]));
    }

    [Fact]
    public void WhenTheSupervisorIsKilledItsWorkersExitWithinASecondAndItsSharedMemoryWasNeverAFileToLeaveBehind()
    {
        using Perpetuo play = Perpetuo.Start(_dir.FullName, "play", "--output", "null", "--quiet");
        var sw = Stopwatch.StartNew();
        // Workers only: play also runs its plugin-list scans as short-lived children (`perpetuo plugins`).
        IReadOnlyList<int> Workers() => [.. play.Children().Where(c => ProcFs.CommandLine(c).Contains("worker"))];
        while (Workers().Count < 4 && sw.Elapsed < TimeSpan.FromSeconds(20))
        {
            Thread.Sleep(100);
        }
        Thread.Sleep(1000);
        IReadOnlyList<int> workers = Workers();
        Assert.Equal(4, workers.Count); // the two leaders, the trailing replica, and the warm spare
        // Each worker maps its region and reads its patch through the supervisor's memory files, not /dev/shm; the
        // spare has neither until it is given a slot.
        var spares = workers.Where(w => ProcFs.CommandLine(w).Contains("--spare")).ToList();
        Assert.Single(spares);
        foreach (int worker in workers.Except(spares))
        {
            string[] args = ProcFs.CommandLine(worker);
            string supervisorFd = $"/proc/{play.Process.Id}/fd/";
            Assert.StartsWith(supervisorFd, args[Array.IndexOf(args, "--region") + 1], StringComparison.Ordinal);
            Assert.StartsWith(supervisorFd, args[Array.IndexOf(args, "--patch") + 1], StringComparison.Ordinal);
        }
        Assert.Empty(ProcFs.ShmEntriesOf(play.Process.Id));

        Signals.Send(play.Process.Id, Signals.SIGKILL);
        sw.Restart();
        while (workers.Any(ProcFs.Alive) && sw.Elapsed < TimeSpan.FromSeconds(3))
        {
            Thread.Sleep(20);
        }
        Assert.False(workers.Any(ProcFs.Alive), "workers (or the spare) outlived their supervisor");
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(1), $"workers took {sw.Elapsed.TotalMilliseconds:0} ms to exit");
    }

    public void Dispose() => _dir.Delete(recursive: true);
}
