using Perpetuo.Control.Patches;
using Perpetuo.Dsp;

namespace Perpetuo.Worker;

/// <summary>Builds a <see cref="ModuleHost"/> from a patch: the one place a worker and the reference render share.</summary>
public static class HostFactory
{
    /// <summary>A host with the patch's modules in order.</summary>
    public static ModuleHost Build(PatchSpec patch, int sampleRate, int channels, int blockFrames)
    {
        ArgumentNullException.ThrowIfNull(patch);
        var host = new ModuleHost(sampleRate, channels, blockFrames);
        foreach (ModuleSpec m in patch.Modules)
        {
            host.AddModule(m.Type, m.Id, m.Params);
        }
        return host;
    }
}
