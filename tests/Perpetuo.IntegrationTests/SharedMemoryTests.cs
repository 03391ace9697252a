using System.Diagnostics;

namespace Perpetuo.IntegrationTests;

/// <summary>
/// The audio process survives its shared-memory environment: a wiped /dev/shm costs nothing, and memory that is
/// not there is said at start, in one line, instead of a SIGBUS while playing.
/// </summary>
public sealed class SharedMemoryTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("perpetuo-it-");

    private string PathOf(string name) => Path.Combine(_dir.FullName, name);

    [Fact]
    public void WithSharedMemoryWipedWhilePlayingBothWorkersColdStartFromThePatchAndPlayExitsCleanly()
    {
        // No checkpoint: the workers that replace the two killed ones must build the DSP from the patch.
        string osc = $"127.0.0.1:{Tools.FreeUdpPort()}";
        using Perpetuo play = Perpetuo.Start(_dir.FullName, "play", "--output", "wav:out.wav", "--seconds", "7", "--osc", osc,
                                             "--events", "events.jsonl", "--checkpoint-seconds", "0", "--quiet");
        var events = new EventsFile(PathOf("events.jsonl"));
        var sw = Stopwatch.StartNew();
        while (Engine.Status(osc, TimeSpan.FromSeconds(30)).GetProperty("seq").GetInt64() < 200)
        {
            Assert.True(sw.Elapsed < TimeSpan.FromSeconds(30), "play never started playing");
            Thread.Sleep(100);
        }
        // What a tmp cleaner (or a user tidying /dev/shm) does while play runs.
        foreach (string entry in ProcFs.ShmEntriesOf(play.Process.Id))
        {
            Directory.Delete(entry, recursive: true);
        }
        foreach (int pid in events.Slots().Pids.Values)
        {
            Signals.Send(pid, Signals.SIGKILL);
        }

        int code = play.WaitForExit(TimeSpan.FromSeconds(60));

        Assert.True(code == 0, $"exit {code}\n{play.Stderr}\n{events.Summary()}");
        Assert.True(events.Count("recovered") >= 1, "a worker cold-started from the patch takes over: " + events.Summary());
        Assert.Equal(0, events.Count("spawn_failed"));
        Assert.DoesNotContain("Unhandled", play.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlayThatCannotReserveItsSharedMemoryFailsAtStartWithOneLineNamingTheSize()
    {
        // A file size limit below a region's size makes reserving it fail, as a full tmpfs or memory cgroup does
        // (the kernel would send SIGXFSZ: ignored here, so the call fails with EFBIG instead). W^X off: the
        // runtime's own double-mapped code memory is a memfd too, and crashes the process under such a limit.
        var psi = new ProcessStartInfo("/bin/sh")
        {
            WorkingDirectory = _dir.FullName,
            RedirectStandardError = true,
            Environment = { ["DOTNET_EnableWriteXorExecute"] = "0" },
        };
        foreach (string a in new[] { "-c", "trap '' XFSZ; ulimit -f 256; exec dotnet \"$0\" \"$@\"", Perpetuo.Dll,
                                     "play", "--output", "null", "--seconds", "1", "--quiet" })
        {
            psi.ArgumentList.Add(a);
        }
        using Process p = Process.Start(psi)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        string err = (await p.StandardError.ReadToEndAsync(timeout.Token)).Trim();
        await p.WaitForExitAsync(timeout.Token);

        Assert.True(p.ExitCode == 2, $"exit {p.ExitCode}: {err}");
        // The last line (play names its output first); no stack trace anywhere.
        Assert.Matches(@"^perpetuo: error: cannot reserve \d+ bytes \(\d+\.\d MiB\) of shared memory for the region of slot 0: ",
                       err.Split('\n')[^1]);
        Assert.DoesNotContain("\n   at ", err, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Delete(recursive: true);
}
