using Perpetuo.Transport;
using Perpetuo.Worker;

namespace Perpetuo.Cli;

/// <summary>The hidden `worker` verb: a DSP worker process attached to one slot region.</summary>
internal static class WorkerCommand
{
    public static int Run(CliArgs a)
    {
        string region = a.String("region") ?? throw new CliException("worker: --region is required");
        string patch = a.String("patch") ?? throw new CliException("worker: --patch is required");
        string waitName = a.String("wait") ?? "sleep";
        a.RejectUnknown();
        if (!Enum.TryParse(waitName, ignoreCase: true, out WaitStrategy wait))
        {
            throw new CliException($"worker: --wait must be sleep, yield or spin, got \"{waitName}\"");
        }
        // Start humble: while this worker loads and JITs, the running worker and the audio process keep the CPU.
        LibC.TrySetNice(10);
        using var loop = new WorkerLoop(new WorkerOptions(region, patch, wait));
        loop.WarmUp();
        LibC.TrySetNice(-5); // warmed up: render ahead of ordinary processes (works when privileged; harmless if not)
        return loop.Run();
    }
}
