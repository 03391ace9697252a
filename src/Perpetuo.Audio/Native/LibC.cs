using System.Runtime.InteropServices;

namespace Perpetuo.Audio.Native;

/// <summary>The few libc calls the backends need (file descriptors for <see cref="StderrSilencer"/>, the paced output's sleep).</summary>
internal static class LibC
{
    internal const int OWronly = 1;

    [DllImport("libc", EntryPoint = "dup", SetLastError = true)]
    internal static extern int Dup(int fd);

    [DllImport("libc", EntryPoint = "dup2", SetLastError = true)]
    internal static extern int Dup2(int oldFd, int newFd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    internal static extern int Close(int fd);

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    internal static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    private const int ClockMonotonic = 1;
    private const int TimerAbstime = 1;

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanos;
    }

    [DllImport("libc", EntryPoint = "clock_nanosleep")]
    private static extern int ClockNanosleep(int clock, int flags, in Timespec request, IntPtr remain);

    /// <summary>
    /// Sleeps until the CLOCK_MONOTONIC time <paramref name="timestamp"/> (a <see cref="System.Diagnostics.Stopwatch"/>
    /// timestamp: the same clock on Linux). Thread.Sleep rounds a TimeSpan down to whole milliseconds, so a wait under
    /// one became Sleep(0), a yield: a real-time thread spun through most of each 64-frame period.
    /// </summary>
    internal static void SleepUntil(long timestamp)
    {
        long nanos = (long)(timestamp * (1_000_000_000.0 / System.Diagnostics.Stopwatch.Frequency));
        var t = new Timespec { Seconds = nanos / 1_000_000_000, Nanos = nanos % 1_000_000_000 };
        while (ClockNanosleep(ClockMonotonic, TimerAbstime, in t, IntPtr.Zero) == 4) // EINTR: a signal; sleep on to the same time
        {
        }
    }
}
