using Perpetuo.Dsp;
using Perpetuo.Transport;

namespace Perpetuo.Worker;

/// <summary>
/// What a spare worker does while it waits to be given a slot: runs every module type through a throwaway host, so
/// that the code it will run is compiled before the slot needs it. A worker started on demand spends most of its
/// start-up (hundreds of milliseconds, measured in docs/performance.md) loading and compiling; a spare that
/// has done it attaches in milliseconds — the difference between a gap of a few blocks and one of dozens when every
/// replica died at once (a deterministic crash).
/// </summary>
public static class SpareWarmUp
{
    /// <summary>Renders <paramref name="blocks"/> blocks of a chain holding every module type (the test-only ones
    /// when <paramref name="faultModules"/>), with a snapshot round trip and the publish path's copy and hash.</summary>
    public static void Run(bool limiter, bool faultModules, int blocks = 64)
    {
        Lv2Modules.Preload(); // the LV2 world too (about 50 ms), when liblilv is installed
        const int Rate = 48000, Channels = 2, Frames = 256;
        var host = new ModuleHost(Rate, Channels, Frames) { SafetyClipperEnabled = limiter, AllowFaultModules = faultModules };
        foreach (ModuleDescriptor d in ModuleRegistry.Types)
        {
            host.AddModule(d.Type, "warm-" + d.Type);
        }
        if (faultModules)
        {
            foreach (ModuleDescriptor d in ModuleRegistry.TestOnlyTypes)
            {
                host.AddModule(d.Type, "warm-" + d.Type); // unarmed: passes audio through
            }
        }
        var block = new float[Frames * Channels];
        var published = new float[block.Length];
        for (int i = 0; i < blocks; i++)
        {
            host.QueueCommand(new DspCommand(Perpetuo.Protocol.CommandKind.NoteOn, i % Frames, "", "", 60 + (i % 12), 0.5f));
            host.QueueCommand(new DspCommand(Perpetuo.Protocol.CommandKind.SetParam, 0, "warm-gain", "gain", 0.5f + (i % 2 * 0.25f), 0.01f));
            host.ProcessChain(block);
            BlockHash.CopyAndCompute(block, published);
        }
        ModuleHost copy = ModuleHost.LoadSnapshot(host.SaveSnapshotInPlace(), Frames, faultModules);
        copy.ProcessChain(block);
        RarePathWarmUp.Run();
    }
}
