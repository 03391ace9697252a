using System.Runtime.InteropServices;

namespace Perpetuo.Audio;

/// <summary>
/// Asks the kernel to run the calling thread with SCHED_FIFO, as JACK does for its process thread. Needs
/// CAP_SYS_NICE or an rtprio limit; without them it does nothing and says so. Call it on the thread itself,
/// once, before its loop (it is a system call).
/// </summary>
public static class RealtimeThread
{
    private const int SchedFifo = 1;
    private const int SchedIdle = 5;

    /// <summary>
    /// A worker renders at this SCHED_FIFO priority once caught up: the lowest but one, above every ordinary process,
    /// below the engine's control thread (<see cref="Control"/>) and any audio thread.
    /// </summary>
    public const int Worker = 2;

    /// <summary>
    /// The engine's control thread: above the workers, so that whatever decides a worker is hung can always run,
    /// whatever the workers do (two spinning at <see cref="Worker"/> on a two-core machine took both cores from it
    /// when it was below them: no verdict, no restart, a play that never ended). Its ticks are short and mostly
    /// asleep; below any audio thread (JACK's, our paced output's at 70).
    /// </summary>
    public const int Control = 3;

    /// <summary>True if the calling thread now runs SCHED_FIFO at <paramref name="priority"/> (1..99).</summary>
    public static bool TryPromoteCurrent(int priority = 70) => TrySetCurrent(SchedFifo, priority);

    /// <summary>
    /// True if the calling thread now runs SCHED_IDLE: it gets a core only when nothing else wants it (any user may
    /// lower a thread's class this way).
    /// </summary>
    public static bool TryDemoteCurrentToIdle() => TrySetCurrent(SchedIdle, 0);

    /// <summary>
    /// True if this process may run threads SCHED_FIFO (root, CAP_SYS_NICE or an rtprio limit): tried on a thread of
    /// its own that ends at once, so no thread of the caller's changes class.
    /// </summary>
    public static bool IsGranted()
    {
        bool granted = false;
        var probe = new Thread(() => granted = TryPromoteCurrent(1)) { Name = "perpetuo-rt-probe", IsBackground = true };
        probe.Start();
        probe.Join();
        return granted;
    }

    /// <summary>
    /// Moves the thread <paramref name="tid"/> (a worker's render thread: its main thread, whose id is its pid) to the
    /// ordinary class (<paramref name="realtime"/> false) or back to SCHED_FIFO at <see cref="Worker"/>: the deadline
    /// switch lowers leaders stuck in a module, so that two spinning at real-time priority keep no core from the
    /// trailing replica, and raises them again if they were only slow. Needs the privilege real-time threads needed.
    /// </summary>
    public static bool TrySetWorker(int tid, bool realtime) => TrySet(tid, realtime ? SchedFifo : SchedOther, realtime ? Worker : 0);

    private const int SchedOther = 0;

    private static bool TrySetCurrent(int policy, int priority) => TrySet(0, policy, priority);

    private static bool TrySet(int tid, int policy, int priority)
    {
        var param = new SchedParam { Priority = priority };
        try
        {
            return sched_setscheduler(tid, policy, ref param) == 0;
        }
        catch (DllNotFoundException)
        {
            return false;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct SchedParam
    {
        public int Priority;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int sched_setscheduler(int pid, int policy, ref SchedParam param);
}
