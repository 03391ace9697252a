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

    /// <summary>Sets this process's nice value; false if not permitted (raising priority needs CAP_SYS_NICE).</summary>
    public static bool TrySetNice(int nice) => setpriority(0, 0, nice) == 0;

    public const int SIGKILL = 9;
    public const int SIGSTOP = 19;
    public const int SIGCONT = 18;
    public const int SIGTERM = 15;
    private const int EPERM = 1;

    [LibraryImport("libc", SetLastError = true)]
    private static partial uint geteuid();

    [LibraryImport("libc")]
    private static partial int getppid();

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setpriority(int which, int who, int prio);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int sig);
}
