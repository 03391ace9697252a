using System.Globalization;

namespace Perpetuo.Transport;

/// <summary>
/// The per-user, per-run directory that holds a run's region files: /dev/shm/perpetuo-UID/run-PID-START, mode 0700,
/// removed on dispose. Creating one first removes directories left by runs whose process is gone.
/// </summary>
public sealed class RunDirectory : IDisposable
{
    private RunDirectory(string path) => Path = path;

    /// <summary>The directory.</summary>
    public string Path { get; }

    /// <summary>Number of stale run directories removed when this one was created.</summary>
    public int StaleRemoved { get; private init; }

    /// <summary>The per-user parent directory under <paramref name="root"/> (default /dev/shm).</summary>
    public static string UserRoot(string? root = null) =>
        System.IO.Path.Combine(root ?? DefaultRoot, "perpetuo-" + LibC.EffectiveUserId().ToString(CultureInfo.InvariantCulture));

    /// <summary>/dev/shm when it exists, else the temp directory.</summary>
    public static string DefaultRoot => Directory.Exists("/dev/shm") ? "/dev/shm" : System.IO.Path.GetTempPath();

    /// <summary>Creates this process's run directory, cleaning stale ones first.</summary>
    public static RunDirectory Create(string? root = null)
    {
        string user = UserRoot(root);
        Directory.CreateDirectory(user, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.SetUnixFileMode(user, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        int removed = RemoveStale(user);
        string path = System.IO.Path.Combine(user, RunName(Environment.ProcessId));
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
        Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return new RunDirectory(path) { StaleRemoved = removed };
    }

    /// <summary>Removes run directories under <paramref name="userRoot"/> whose owning process no longer exists.</summary>
    public static int RemoveStale(string userRoot)
    {
        int removed = 0;
        foreach (string dir in Directory.EnumerateDirectories(userRoot, "run-*"))
        {
            if (!IsLive(System.IO.Path.GetFileName(dir)))
            {
                try
                {
                    Directory.Delete(dir, recursive: true);
                    removed++;
                }
                catch (IOException)
                {
                    // Raced with another cleaner; nothing to do.
                }
            }
        }
        return removed;
    }

    /// <summary>The path of slot <paramref name="slot"/>'s region file.</summary>
    public string RegionPath(int slot) => System.IO.Path.Combine(Path, $"slot{slot}.region");

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    private static string RunName(int pid) =>
        string.Create(CultureInfo.InvariantCulture, $"run-{pid}-{ProcessStartTicks(pid)}");

    private static bool IsLive(string name)
    {
        string[] parts = name.Split('-');
        if (parts.Length != 3 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
        {
            return false;
        }
        string start = ProcessStartTicks(pid);
        return start.Length > 0 && start == parts[2];
    }

    /// <summary>Field 22 of /proc/PID/stat (start time in clock ticks since boot), or "" if the process is gone.</summary>
    private static string ProcessStartTicks(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            int close = stat.LastIndexOf(')');
            string[] fields = stat[(close + 2)..].Split(' ');
            return fields.Length > 19 ? fields[19] : "";
        }
        catch (IOException)
        {
            return "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }
}
