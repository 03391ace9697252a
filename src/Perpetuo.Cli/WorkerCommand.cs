using System.CommandLine;
using Perpetuo.Transport;
using Perpetuo.Worker;

namespace Perpetuo.Cli;

/// <summary>The hidden `worker` verb: a DSP worker process attached to one slot region.</summary>
internal static class WorkerCommand
{
    private const string Description = """
        internal: a DSP worker process attached to one slot region

        Internal: a DSP worker process attached to one slot region. `perpetuo play` starts two of these itself;
        there is no reason to run one by hand. Both paths are play's sealed in-memory files, opened through /proc.

        Example (what play runs):
          perpetuo worker --region /proc/4242/fd/23 --patch /proc/4242/fd/22 --wait sleep --nice 0

        With --spare it starts without a slot, compiles its code on a throwaway chain, and then reads the region
        and patch paths as two lines from standard input (it exits at end of input: its supervisor is gone).
        """;

    private static readonly Option<string?> RegionOption = new("--region") { Description = "the slot's shared-memory region", HelpName = "PATH" };
    private static readonly Option<string?> PatchOption = new("--patch") { Description = "the patch (JSON or snapshot) to load", HelpName = "PATH" };
    private static readonly Option<bool> SpareOption = CliOptions.Flag("--spare", "start warm, without a slot: read --region and --patch as two lines from standard input");
    private static readonly Option<string> WaitOption = CliOptions.Wait();
    private static readonly Option<int> NiceOption = CliOptions.Int("--nice", 0, 0, 19, "niceness while loading and warming up");
    private static readonly Option<int> LimiterOption = CliOptions.Int("--limiter", 1, 0, 1, "1: the output safety stage is on; 0 only from play --no-limiter");
    private static readonly Option<int> FaultModulesOption = CliOptions.Int("--fault-modules", 0, 0, 1, "1: the test-only fault module may be built (play --allow-fault-injection)");
    private static readonly Option<int> RealtimeOption = CliOptions.Int("--realtime", 1, 0, 1, "1: render above ordinary processes once warmed up; 0: the audio thread is ordinary, stay below it");

    /// <summary>The hidden `worker` verb, started by play (WorkerLaunch): its options, help and action.</summary>
    public static Command Create()
    {
        var command = new Command("worker", Description) { RegionOption, PatchOption, WaitOption, NiceOption, RealtimeOption, LimiterOption, FaultModulesOption, SpareOption };
        command.Hidden = true;
        command.SetAction(Run);
        return command;
    }

    private static int Run(ParseResult a)
    {
        string? region = a.GetValue(RegionOption);
        string? patch = a.GetValue(PatchOption);
        bool spare = a.GetValue(SpareOption);
        string waitName = a.GetValue(WaitOption)!;
        int nice = a.GetValue(NiceOption);
        bool realtime = a.GetValue(RealtimeOption) == 1; // 0: the audio thread is ordinary, stay below it
        bool limiter = a.GetValue(LimiterOption) == 1; // 0 only from play --no-limiter
        bool faultModules = a.GetValue(FaultModulesOption) == 1;
        if (!Enum.TryParse(waitName, ignoreCase: true, out WaitStrategy wait))
        {
            throw new CliException($"worker: --wait must be doorbell, sleep, yield or spin, got \"{waitName}\"");
        }
        if (spare ? region != null || patch != null : region == null || patch == null)
        {
            throw new CliException("worker: give --region and --patch, or --spare (and the two paths on standard input)");
        }
        // A respawned worker starts humble: while it loads and JITs, the survivor and the audio process keep the CPU.
        LibC.TrySetNice(nice);
        if (spare && !TryWaitForSlot(limiter, faultModules, out region, out patch))
        {
            return 0; // never needed: the supervisor closed our input (it stopped, or died)
        }
        WorkerLoop loop;
        try
        {
            loop = new WorkerLoop(new WorkerOptions(region!, patch!, wait, limiter, faultModules));
        }
        catch (SnapshotRejectedException e)
        {
            Console.Error.WriteLine($"worker: {e.Message}");
            return WorkerExitCode.SnapshotRejected;
        }
        using var owned = loop;
        loop.WarmUp();
        // The render loop's command and input paths, first taken at the session's first command: compiled now.
        Perpetuo.Audio.CallbackWarmUp.Prepare(typeof(WorkerLoop), typeof(CommandTranslator), typeof(CommandRingReader), typeof(InputRingReader),
                                              typeof(WorkerLink), typeof(AudioRingWriter));
        if (!realtime)
        {
            LibC.TrySetNice(0); // warmed up; an ordinary audio thread (a JACK server without -R) must not be outweighed
            return loop.Run();
        }
        LibC.TrySetNice(-5); // warmed up: render ahead of ordinary processes (works when privileged; harmless if not)
        if (wait is WaitStrategy.Doorbell or WaitStrategy.Sleep)
        {
            // Once caught up (never while replaying flat out), render at the lowest SCHED_FIFO priority, when
            // privileged: above every ordinary process, below any audio thread (JACK's, or our paced output's).
            // Only with the sleeping wait: a spinning worker at real-time priority would starve its core.
            // The kernel's backstop first: a runaway render thread at real-time priority dies within the budget, even
            // if the supervisor cannot run (Limits.WorkerRealtimeBudget).
            LibC.TrySetRealtimeBudget((long)Perpetuo.Protocol.Limits.WorkerRealtimeBudget.TotalMicroseconds);
            loop.CaughtUp += () => Perpetuo.Audio.RealtimeThread.TryPromoteCurrent(Perpetuo.Audio.RealtimeThread.Worker);
        }
        return loop.Run();
    }

    /// <summary>A spare's wait: warm up, then block on standard input for the slot's region and patch paths.</summary>
    private static bool TryWaitForSlot(bool limiter, bool faultModules, out string? region, out string? patch)
    {
        SpareWarmUp.Run(limiter, faultModules);
        // The rest of the attach path (region, rings, patch parsing, the render loop): compiled now, not after attach.
        Perpetuo.Audio.CallbackWarmUp.Prepare(typeof(WorkerLoop), typeof(SharedRegion), typeof(WorkerLink), typeof(AudioRingWriter),
                                              typeof(CommandRingReader), typeof(CommandTranslator), typeof(HostFactory),
                                              typeof(Perpetuo.Control.Patches.PatchFile), typeof(RegionLayout), typeof(MemoryFile));
        region = Console.In.ReadLine();
        patch = Console.In.ReadLine();
        return !string.IsNullOrEmpty(region) && !string.IsNullOrEmpty(patch);
    }
}
