using System.Diagnostics;

namespace Perpetuo.Supervisor.Control;

/// <summary>
/// One attached worker's progress, as the control thread observes it, and the verdict on it: healthy, hung (a
/// heartbeat that stopped while there was work), never started, or slow (it keeps missing blocks its peer had).
/// Pure: it is given the time and the worker's counters, so tests drive it directly (<c>WorkerHealthTests</c>).
/// </summary>
/// <remarks>
/// Design: a worker is judged only while it has work — a worker waiting at its render limit, or for a free ring
/// slot, is idle, not hung. A silent worker is hung only when its peer kept beating meanwhile: if both stalled, the
/// machine (or the control thread) was starved, and killing a worker would only cost the CPU of a respawn. A worker
/// with no healthy peer gets <see cref="SoleHangTimeout"/>: killing the only worker that can play is never hitless.
/// Control thread only.
/// </remarks>
internal sealed class WorkerHealth
{
    /// <summary>Longest a started worker may take to its first heartbeat (load, JIT, warm-up).</summary>
    public static readonly long StartupTimeout = Stopwatch.Frequency * 15;

    /// <summary>Longest silence allowed to a worker that no other slot could replace hitlessly.</summary>
    public static readonly long SoleHangTimeout = Stopwatch.Frequency / 4;

    /// <summary>
    /// The shortest hang timeout, whatever the block size: two 64-frame blocks are 2.7 ms, within an ordinary
    /// scheduling hiccup, and a worker killed for one costs a restart. A longer timeout never costs audio — the
    /// callback takes a late block from the other slot the moment it is late — only the time until a truly hung
    /// worker is replaced. 30 ms, not 10: on the 2-vCPU VMs we measure on, `perf sched timehist` showed threads of
    /// one vCPU runnable and not running for up to 10-20 ms (a SCHED_FIFO 70 thread among them) while the other
    /// vCPU ran on; at 10 ms the latency sweep judged about one healthy worker hung a minute, at every block size.
    /// </summary>
    public static readonly TimeSpan MinHangTimeout = TimeSpan.FromMilliseconds(30);

    /// <summary>
    /// Audio a worker may miss (blocks its peer had) within <see cref="MissWindow"/> before it is replaced as slow,
    /// as time: 8 blocks at 256 frames, 30 at 64 — the same stall, whatever the block size.
    /// </summary>
    public static readonly TimeSpan SlowMissedAudio = TimeSpan.FromMilliseconds(42);

    /// <summary>The hang timeout for blocks of <paramref name="blockSeconds"/>: <paramref name="blocks"/> of them, at least <see cref="MinHangTimeout"/> (Stopwatch ticks).</summary>
    public static long HangTicks(double blocks, double blockSeconds) =>
        (long)(Math.Max(blocks * blockSeconds, MinHangTimeout.TotalSeconds) * Stopwatch.Frequency);

    /// <summary>The slowness limit in blocks of <paramref name="blockSeconds"/>: at least <paramref name="minimum"/>
    /// blocks, and at least <see cref="SlowMissedAudio"/> of audio.</summary>
    public static int SlowMissLimit(int minimum, double blockSeconds) =>
        Math.Max(minimum, (int)Math.Ceiling(SlowMissedAudio.TotalSeconds / blockSeconds));

    /// <summary>The window slowness is counted over.</summary>
    public static readonly long MissWindow = Stopwatch.Frequency * 2;

    private long _spawnedAt;
    private long _lastHeartbeat;
    private long _missWindowStart;
    private long _missesAtWindowStart;

    /// <summary>When the worker last beat while it had work, or last had none (Stopwatch ticks).</summary>
    public long LastProgressAt { get; private set; }

    /// <summary>Ticks the worker has been silent with work to do, as of the last <see cref="Judge"/>.</summary>
    public long SilentFor { get; private set; }

    /// <summary>Misses counted in the current window, as of the last <see cref="Judge"/>.</summary>
    public long RecentMisses { get; private set; }

    /// <summary>A new worker was attached at <paramref name="now"/>; <paramref name="misses"/> is the slot's miss count then.</summary>
    public void Attached(long now, long misses)
    {
        _spawnedAt = now;
        _lastHeartbeat = 0;
        LastProgressAt = now;
        _missWindowStart = now;
        _missesAtWindowStart = misses;
        SilentFor = 0;
        RecentMisses = 0;
    }

    /// <summary>
    /// The verdict at <paramref name="now"/>, given the worker's <paramref name="heartbeat"/>, whether it is behind its
    /// render limit (<paramref name="hasWork"/>), the slot's <paramref name="misses"/> and whether it is heard or
    /// could be (<paramref name="readable"/>), and whether a peer can play and is beating (<paramref name="peerHealthy"/>).
    /// </summary>
    public Verdict Judge(long now, long heartbeat, bool hasWork, long misses, bool readable, bool peerHealthy,
                         long hangTicks, int slowMissLimit)
    {
        if (heartbeat != _lastHeartbeat || !hasWork)
        {
            _lastHeartbeat = heartbeat;
            LastProgressAt = now;
        }
        SilentFor = now - LastProgressAt;
        if (heartbeat == 0)
        {
            return now - _spawnedAt > StartupTimeout ? Verdict.NeverStarted : Verdict.Healthy;
        }
        // A worker not heard (a respawn verifying, or catching up) costs nothing audible while it stalls — loading a
        // plugin can take it tens of milliseconds — so it gets the long timeout too; a heard one with a healthy peer
        // is replaced at once.
        if (SilentFor > hangTicks && ((peerHealthy && readable) || SilentFor > Math.Max(hangTicks, SoleHangTimeout)))
        {
            return Verdict.Hung;
        }
        if (now - _missWindowStart > MissWindow)
        {
            _missWindowStart = now;
            _missesAtWindowStart = misses;
        }
        RecentMisses = misses - _missesAtWindowStart;
        return readable && RecentMisses > slowMissLimit && peerHealthy ? Verdict.Slow : Verdict.Healthy;
    }

    /// <summary>What <see cref="Judge"/> decided.</summary>
    public enum Verdict
    {
        Healthy,
        Hung,
        NeverStarted,
        Slow,
    }
}
