using Perpetuo.Dsp;
using Perpetuo.Transport;

namespace Perpetuo.Worker;

/// <summary>
/// Writes where the chain is into the worker's region (<see cref="WorkerLink.EnterModule"/>), so that after this
/// worker dies or hangs the supervisor can name the module and the block: the evidence of a deterministic fault.
/// </summary>
/// <remarks>Worker thread only. Wait-free, allocation-free: a few plain stores and a copy of at most 40 bytes per module.</remarks>
internal sealed class RegionChainProbe(WorkerLink link) : IChainProbe
{
    /// <summary>The block being rendered; the worker loop sets it before each block.</summary>
    public long Block { get; set; }

    public void Entering(int index, ReadOnlySpan<byte> moduleId) => link.EnterModule(Block, index, moduleId);

    public void Left() => link.LeaveModule();
}
