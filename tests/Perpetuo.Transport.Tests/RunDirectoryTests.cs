using System.Diagnostics;
using System.Globalization;

namespace Perpetuo.Transport.Tests;

public sealed class RunDirectoryTests : IDisposable
{
    private const UnixFileMode Owner = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("perpetuo-rundir-tests-");

    public void Dispose() => _root.Delete(recursive: true);

    [Fact]
    public void TheRunDirectoryAndItsUserRootAreMode0700()
    {
        using RunDirectory run = RunDirectory.Create(_root.FullName);

        Assert.Equal(Owner, File.GetUnixFileMode(run.Path));
        Assert.Equal(Owner, File.GetUnixFileMode(RunDirectory.UserRoot(_root.FullName)));
        Assert.StartsWith(RunDirectory.UserRoot(_root.FullName), run.Path, StringComparison.Ordinal);
        Assert.StartsWith($"run-{Environment.ProcessId}-", Path.GetFileName(run.Path), StringComparison.Ordinal);
    }

    [Fact]
    public void RegionFilesAreMode0600()
    {
        using RunDirectory run = RunDirectory.Create(_root.FullName);
        using SharedRegion region = SharedRegion.Create(run.RegionPath(0), new RegionLayout(64, 2, 48000, 4), 0);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(region.Path));
    }

    [Fact]
    public void DisposeRemovesTheDirectoryAndItsRegions()
    {
        RunDirectory run = RunDirectory.Create(_root.FullName);
        File.WriteAllText(run.RegionPath(1), "x");

        run.Dispose();

        Assert.False(Directory.Exists(run.Path));
        run.Dispose(); // twice is harmless
    }

    [Fact]
    public void RemoveStaleDeletesDeadRunsAndKeepsTheLiveOne()
    {
        using RunDirectory live = RunDirectory.Create(_root.FullName);
        string user = RunDirectory.UserRoot(_root.FullName);
        string dead = Directory.CreateDirectory(Path.Combine(user, "run-999999999-12345")).FullName; // above any pid_max
        string exited = Directory.CreateDirectory(Path.Combine(user, $"run-{ExitedPid()}-1")).FullName;
        string reused = Directory.CreateDirectory(Path.Combine(user, $"run-{Environment.ProcessId}-1")).FullName; // pid reused
        string garbage = Directory.CreateDirectory(Path.Combine(user, "run-not-a-pid")).FullName;
        string other = Directory.CreateDirectory(Path.Combine(user, "unrelated")).FullName;

        int removed = RunDirectory.RemoveStale(user);

        Assert.Equal(4, removed);
        Assert.True(Directory.Exists(live.Path));
        Assert.True(Directory.Exists(other));
        Assert.False(Directory.Exists(dead));
        Assert.False(Directory.Exists(exited));
        Assert.False(Directory.Exists(reused));
        Assert.False(Directory.Exists(garbage));
    }

    [Fact]
    public void CreatingARunCleansStaleRunsFirst()
    {
        string user = RunDirectory.UserRoot(_root.FullName);
        Directory.CreateDirectory(Path.Combine(user, "run-999999999-1"));

        using RunDirectory run = RunDirectory.Create(_root.FullName);

        Assert.Equal(1, run.StaleRemoved);
    }

    private static string ExitedPid()
    {
        using Process p = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        p.WaitForExit();
        return p.Id.ToString(CultureInfo.InvariantCulture);
    }
}
