namespace Perpetuo.IntegrationTests;

/// <summary>
/// `play --keep-cpus-awake` spins one idle-class thread per core only where the engine's threads run real-time
/// (preempting the spinners at once); without real-time priority the spinners took time from the workers, so they
/// are not started and a warning says why.
/// </summary>
public sealed class KeepAwakeTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("perpetuo-it-");

    private static int ThreadsNamed(int pid, string name) =>
        Directory.GetDirectories($"/proc/{pid}/task").Count(t =>
        {
            try
            {
                return File.ReadAllText(Path.Combine(t, "comm")).Trim() == name;
            }
            catch (IOException)
            {
                return false; // the thread ended meanwhile
            }
        });

    /// <summary>Plays with --keep-cpus-awake under <paramref name="wrapper"/>; the spinning threads seen while playing, and stderr.</summary>
    private (int Spinners, string Stderr) PlayKeepingAwake(string[] wrapper)
    {
        int port = Tools.FreeUdpPort();
        string osc = $"127.0.0.1:{port}";
        using Perpetuo play = Perpetuo.StartUnder(_dir.FullName, wrapper, new Dictionary<string, string>(),
                                                  "play", "--output", "null", "--seconds", "4", "--osc", osc, "--keep-cpus-awake");
        Engine.WaitUntilPlaying(osc);
        int spinners = ThreadsNamed(play.Process.Id, "perpetuo-awake");
        Assert.Equal(0, play.WaitForExit(TimeSpan.FromSeconds(60)));
        return (spinners, play.Stderr);
    }

    [Fact]
    public void TheSpinnersRunOnlyWhereTheEngineMayRunRealtimeElseAWarningSaysWhy()
    {
        // What this test process may do is what perpetuo started from it may do (CI runs as root).
        bool realtime = Tools.Run("chrt", "-f", "1", "true") == 0;
        (int spinners, string stderr) = PlayKeepingAwake([]);
        Assert.Equal(realtime ? Environment.ProcessorCount : 0, spinners);
        Assert.Equal(!realtime, stderr.Contains("--keep-cpus-awake ignored", StringComparison.Ordinal));

        // Without CAP_SYS_NICE (setpriv drops it from the bounding set): as an ordinary user.
        (spinners, stderr) = PlayKeepingAwake(["setpriv", "--bounding-set", "-sys_nice"]);
        Assert.Equal(0, spinners);
        Assert.Contains("--keep-cpus-awake ignored", stderr, StringComparison.Ordinal);
        Assert.Contains("real-time priority", stderr, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Delete(recursive: true);
}
