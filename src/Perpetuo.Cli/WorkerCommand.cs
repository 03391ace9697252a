using Perpetuo.Transport;
using Perpetuo.Worker;

namespace Perpetuo.Cli;

/// <summary>The hidden `worker` verb: a DSP worker process attached to one slot region.</summary>
internal static class WorkerCommand
{
    public const string Help = """
        perpetuo worker --region PATH --patch PATH [--wait sleep|yield|spin] [--nice 0..19] [--realtime 0|1] [--limiter 0|1]

        Internal: a DSP worker process attached to one slot region. `perpetuo play` starts two of these itself;
        there is no reason to run one by hand. Both paths are play's sealed in-memory files, opened through /proc.

        Example (what play runs):
          perpetuo worker --region /proc/4242/fd/23 --patch /proc/4242/fd/22 --wait sleep --nice 0
        """;

    public static int Run(CliArgs a)
    {
        string region = a.String("region") ?? throw new CliException("worker: --region is required");
        string patch = a.String("patch") ?? throw new CliException("worker: --patch is required");
        string waitName = a.String("wait") ?? "sleep";
        int nice = a.Int("nice", 0, 0, 19);
        bool realtime = a.Int("realtime", 1, 0, 1) == 1; // 0: the audio thread is ordinary, stay below it
        bool limiter = a.Int("limiter", 1, 0, 1) == 1; // 0 only from play --no-limiter
        a.RejectUnknown();
        if (!Enum.TryParse(waitName, ignoreCase: true, out WaitStrategy wait))
        {
            throw new CliException($"worker: --wait must be sleep, yield or spin, got \"{waitName}\"");
        }
        // A respawned worker starts humble: while it loads and JITs, the survivor and the audio process keep the CPU.
        LibC.TrySetNice(nice);
        WorkerLoop loop;
        try
        {
            loop = new WorkerLoop(new WorkerOptions(region, patch, wait, limiter));
        }
        catch (SnapshotRejectedException e)
        {
            Console.Error.WriteLine($"worker: {e.Message}");
            return WorkerExitCode.SnapshotRejected;
        }
        using var owned = loop;
        loop.WarmUp();
        if (!realtime)
        {
            LibC.TrySetNice(0); // warmed up; an ordinary audio thread (a JACK server without -R) must not be outweighed
            return loop.Run();
        }
        LibC.TrySetNice(-5); // warmed up: render ahead of ordinary processes (works when privileged; harmless if not)
        if (wait == WaitStrategy.Sleep)
        {
            // Once caught up (never while replaying flat out), render at the lowest SCHED_FIFO priority, when
            // privileged: above every ordinary process, below any audio thread (JACK's, or our paced output's).
            // Only with the sleeping wait: a spinning worker at real-time priority would starve its core.
            loop.CaughtUp += () => Perpetuo.Audio.RealtimeThread.TryPromoteCurrent(2);
        }
        return loop.Run();
    }
}
