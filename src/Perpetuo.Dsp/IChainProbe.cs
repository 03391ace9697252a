namespace Perpetuo.Dsp;

/// <summary>
/// Told which module of the chain is about to run, so that a death or a hang inside it can be attributed: a
/// worker writes it into its shared-memory region, where the supervisor reads it after the worker died or hung.
/// </summary>
/// <remarks>Audio (worker) thread. Implementations must be wait-free and allocation-free.</remarks>
public interface IChainProbe
{
    /// <summary>Module <paramref name="index"/> (id <paramref name="moduleId"/>, UTF-8) is about to process a segment.</summary>
    void Entering(int index, ReadOnlySpan<byte> moduleId);

    /// <summary>No module is running: the chain finished the segment.</summary>
    void Left();
}
