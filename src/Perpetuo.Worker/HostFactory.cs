using Perpetuo.Control.Patches;
using Perpetuo.Dsp;

namespace Perpetuo.Worker;

/// <summary>Builds a <see cref="ModuleHost"/> from a patch: the one place a worker and the reference render share.</summary>
public static class HostFactory
{
    /// <summary>A host with the patch's modules in order.</summary>
    /// <param name="safetyClipper">The output safety stage (<see cref="SafetyClipper"/>): on unless the user asked
    /// for raw output; a session's workers and its reference render must be built with the same value.</param>
    /// <param name="allowFaultModules">Whether the test-only <c>fault</c> type may be built (workers of play --allow-fault-injection).</param>
    public static ModuleHost Build(PatchSpec patch, int sampleRate, int channels, int blockFrames, bool safetyClipper = true,
                                   bool allowFaultModules = false)
    {
        ArgumentNullException.ThrowIfNull(patch);
        var host = new ModuleHost(sampleRate, channels, blockFrames)
        {
            SafetyClipperEnabled = safetyClipper,
            AllowFaultModules = allowFaultModules,
        };
        foreach (ModuleSpec m in patch.Modules)
        {
            host.AddModule(m.Type, m.Id, m.Params, m.State);
        }
        return host;
    }
}
