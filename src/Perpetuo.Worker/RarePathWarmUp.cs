using Perpetuo.Dsp;
using Perpetuo.Protocol;
using Perpetuo.Transport;

namespace Perpetuo.Worker;

/// <summary>
/// The paths a worker takes only when something goes wrong — a module's exception caught at its boundary (the
/// runtime's first throw in a process is slow: it loads the machinery), a NaN caught there, a quarantine command's
/// bypass, a restore — run once on a throwaway host at start, so that they are compiled before they are needed. They
/// are needed in every replica at the same block, the trailing replica included, which must render that block within
/// the ring's lead: measured before this, the first exception cost 2-4 blocks of every replica.
/// </summary>
public static class RarePathWarmUp
{
    /// <summary>Runs them (a few milliseconds). Any thread; allocates.</summary>
    public static void Run()
    {
        const int Rate = 48000, Channels = 2, Frames = 256;
        // The test-only fault module on a host of its own: it throws and outputs NaN on command, in this copy only.
        var host = new ModuleHost(Rate, Channels, Frames) { AllowFaultModules = true };
        host.AddModule("osc", "warm-osc");
        host.AddModule("fault", "warm-throw");
        host.AddModule("fault", "warm-nan");
        host.AddModule("gain", "warm-gain");
        var block = new float[Frames * Channels];
        host.QueueCommand(new DspCommand(CommandKind.SetParam, 0, "warm-throw", "mode", 4, 0));
        host.QueueCommand(new DspCommand(CommandKind.SetParam, 0, "warm-nan", "mode", 3, 0));
        host.ProcessChain(block);
        host.QueueCommand(new DspCommand(CommandKind.SetParam, 10, "warm-throw", "armed", 1, 0));
        host.QueueCommand(new DspCommand(CommandKind.SetParam, 20, "warm-nan", "armed", 1, 0));
        host.ProcessChain(block); // both quarantined at their frames: the guard's exception and NaN paths
        host.QueueCommand(new DspCommand(CommandKind.Quarantine, 0, "warm-gain", QuarantineReasons.Name(QuarantineReason.Hang), 0, 0));
        host.ProcessChain(block); // a bypass decided by the supervisor
        host.QueueCommand(new DspCommand(CommandKind.Restore, 0, "warm-gain", "", 0, 0));
        host.QueueCommand(new DspCommand(CommandKind.Restore, 0, "warm-throw", "", 0, 0));
        host.ProcessChain(block);
        var published = new float[block.Length];
        BlockHash.CopyAndCompute(block, published);
    }
}
