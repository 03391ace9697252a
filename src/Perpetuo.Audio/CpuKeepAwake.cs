namespace Perpetuo.Audio;

/// <summary>
/// Keeps every core from going idle while it is running: one thread per core at SCHED_IDLE that spins, so it runs
/// only when nothing else wants the core and yields it the moment anything does (`play --keep-cpus-awake`).
/// </summary>
/// <remarks>
/// Why (measured, docs/performance.md "Live latency"): on the 2-vCPU VMs we run on, a worker woken by the audio
/// callback onto an idle vCPU waited 1-4 ms for that vCPU to wake (`perf sched timehist`: runnable, not running,
/// until the vCPU's next timer) — the interrupt that wakes a halted vCPU comes late. A depth-2 lead at 64 frames
/// is 2.7 ms, so each was an underrun. Beside `stress-ng --cpu 2 --sched idle` (a spinning idle-class load, what
/// this is) the same 64 × 2 run had 0 underruns in 3 × 20 s, against 3-21 without. The price is that the cores are
/// never idle: 100 % of every core, to the host and the power bill, though nothing else is slowed (SCHED_IDLE has
/// the smallest share the kernel gives). It is what `idle=poll` does for the whole machine; here it lasts as long
/// as the engine plays, and only when asked for.
/// </remarks>
public sealed class CpuKeepAwake : IDisposable
{
    private readonly Thread[] _threads;
    private volatile bool _stop;

    private CpuKeepAwake(int threads)
    {
        _threads = new Thread[threads];
        for (int i = 0; i < threads; i++)
        {
            _threads[i] = new Thread(Spin) { Name = "perpetuo-awake", IsBackground = true, Priority = ThreadPriority.Lowest };
            _threads[i].Start();
        }
    }

    /// <summary>Threads that took the idle class (0 where the kernel refused it: then they stopped at once).</summary>
    public int Spinning { get; private set; }

    /// <summary>Starts one spinning idle-class thread per core.</summary>
    public static CpuKeepAwake Start() => new(Environment.ProcessorCount);

    public void Dispose()
    {
        _stop = true;
        foreach (Thread t in _threads)
        {
            t.Join();
        }
    }

    private void Spin()
    {
        if (!RealtimeThread.TryDemoteCurrentToIdle())
        {
            return; // never spin at an ordinary priority: it would take time from real work
        }
        lock (_threads)
        {
            Spinning++;
        }
        while (!_stop)
        {
            Thread.SpinWait(1000); // PAUSE instructions: cheap for a sibling hyper-thread, a safepoint between calls
        }
    }
}
