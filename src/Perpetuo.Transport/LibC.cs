using System.Runtime.InteropServices;

namespace Perpetuo.Transport;

/// <summary>The few libc calls the transport needs. Control threads only, never the audio callback.</summary>
public static partial class LibC
{
    /// <summary>The effective user id (for the per-user shared-memory directory).</summary>
    public static uint EffectiveUserId() => geteuid();

    /// <summary>The parent process id (a worker notices its supervisor's death when it changes).</summary>
    public static int ParentProcessId() => getppid();

    /// <summary>Sends <paramref name="signal"/> to <paramref name="pid"/>; true on success.</summary>
    public static bool Kill(int pid, int signal) => kill(pid, signal) == 0;

    /// <summary>True when a process with that pid exists (signal 0 probe).</summary>
    public static bool ProcessExists(int pid) => pid > 0 && (kill(pid, 0) == 0 || Marshal.GetLastPInvokeError() == EPERM);

    /// <summary>
    /// True when process <paramref name="pid"/> has ended (a zombie not yet reaped, or gone), from /proc/PID/stat.
    /// Allocates; for a slow path (a worker about to be judged hung may in fact have just died).
    /// </summary>
    public static bool HasEnded(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            int close = stat.LastIndexOf(')');
            return close < 0 || close + 2 >= stat.Length || stat[close + 2] is 'Z' or 'X';
        }
        catch (IOException)
        {
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Sets this process's nice value; false if not permitted (raising priority needs CAP_SYS_NICE).</summary>
    public static bool TrySetNice(int nice) => setpriority(0, 0, nice) == 0;

    /// <summary>
    /// Limits the CPU time a real-time thread of this process may use without blocking to
    /// <paramref name="microseconds"/> (RLIMIT_RTTIME, soft and hard): past it the kernel kills the process. A worker's
    /// render thread blocks on its doorbell every block, so only a runaway one — a plugin spinning in an endless loop at
    /// SCHED_FIFO — ever reaches it, and then it dies whatever else is stuck (measured on this kernel: a SCHED_FIFO
    /// spinner with a 200 ms budget was killed after 220 ms). False if the kernel refused.
    /// </summary>
    public static bool TrySetRealtimeBudget(long microseconds)
    {
        var limit = new RLimit { Current = (ulong)microseconds, Maximum = (ulong)microseconds };
        return setrlimit(RLIMIT_RTTIME, in limit) == 0;
    }

    /// <summary>
    /// Moves this process's standard output to a new descriptor, returned, and points descriptor 1 at standard
    /// error: whatever native code loaded later prints on its stdout (a plugin's printf) can no longer be taken for
    /// what this process writes on the returned one. -1 if it could not.
    /// </summary>
    public static int TakeStandardOutput()
    {
        int moved = dup(1);
        if (moved < 0)
        {
            return -1;
        }
        if (dup2(2, 1) < 0)
        {
            return -1;
        }
        return moved;
    }

    /// <summary>memfd_create(2): an anonymous file in memory; -1 and errno on failure.</summary>
    internal static int MemfdCreate(string name, uint flags) => memfd_create(name, flags);

    /// <summary>ftruncate(2); 0 on success, -1 and errno on failure.</summary>
    internal static int Ftruncate(int fd, long length) => ftruncate(fd, length);

    /// <summary>fallocate(2) with mode 0: allocates (commits) the range now; 0 on success, -1 and errno on failure.</summary>
    internal static int Fallocate(int fd, long offset, long length) => fallocate(fd, 0, offset, length);

    /// <summary>fcntl(F_ADD_SEALS); 0 on success, -1 and errno on failure.</summary>
    internal static int AddSeals(int fd, int seals) => fcntl(fd, F_ADD_SEALS, seals);

    public const int SIGKILL = 9;
    public const int SIGSTOP = 19;
    public const int SIGCONT = 18;
    public const int SIGTERM = 15;
    private const int EPERM = 1;

    internal const uint MFD_CLOEXEC = 0x1;
    internal const uint MFD_ALLOW_SEALING = 0x2;
    internal const int F_ADD_SEALS = 1033;
    internal const int F_SEAL_SEAL = 0x1;
    internal const int F_SEAL_SHRINK = 0x2;
    internal const int F_SEAL_GROW = 0x4;
    internal const int F_SEAL_WRITE = 0x8;

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int memfd_create(string name, uint flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int ftruncate(int fd, long length);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fallocate(int fd, int mode, long offset, long length);

    // fcntl is variadic; its third argument is an int for the seal commands, passed like a fixed one on x64 and arm64.
    [LibraryImport("libc", SetLastError = true)]
    private static partial int fcntl(int fd, int cmd, int arg);

    [LibraryImport("libc", SetLastError = true)]
    private static partial uint geteuid();

    [LibraryImport("libc")]
    private static partial int getppid();

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setpriority(int which, int who, int prio);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int sig);

    private const int RLIMIT_RTTIME = 15;

    [StructLayout(LayoutKind.Sequential)]
    private struct RLimit
    {
        public ulong Current;
        public ulong Maximum;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setrlimit(int resource, in RLimit limit);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int dup(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int dup2(int fd, int fd2);
}
