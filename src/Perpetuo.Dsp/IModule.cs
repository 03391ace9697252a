namespace Perpetuo.Dsp;

/// <summary>A configured module in a <see cref="ModuleHost"/> chain, as seen from outside the host.</summary>
/// <remarks>Read it from the thread that drives the host (the worker loop), between blocks.</remarks>
public interface IModule
{
    /// <summary>Module type name, e.g. "osc".</summary>
    string Type { get; }

    /// <summary>Unique id within the host.</summary>
    string Id { get; }

    /// <summary>The type's descriptor (parameter names, ranges, defaults).</summary>
    ModuleDescriptor Descriptor { get; }

    /// <summary>The value parameter <paramref name="name"/> is set to (the ramp target while it glides).</summary>
    /// <exception cref="DspException">The module type has no such parameter.</exception>
    float GetParam(string name);

    /// <summary>The value parameter <paramref name="name"/> has right now (part-way along a ramp).</summary>
    /// <exception cref="DspException">The module type has no such parameter.</exception>
    float GetCurrentParam(string name);
}
