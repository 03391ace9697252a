using Perpetuo.Protocol;

namespace Perpetuo.Supervisor.Control;

/// <summary>
/// Tells a deterministic fault from a chance one. Every worker that dies or hangs inside a module is a failure at
/// a (block, module); one failure proves nothing (a worker killed from outside while in a module looks the same),
/// but two workers — the two replicas, or a replica and its respawn — failing at the same block in the same module
/// ran the same code on the same input into the same fault: that module is the culprit.
/// Pure (no clock, no I/O): <c>CulpritTrackerTests</c> drive it directly. Control thread only.
/// </summary>
internal sealed class CulpritTracker
{
    /// <summary>Failures remembered: far more than can be pending at once (two slots, a few restarts).</summary>
    public const int Remembered = 16;

    private readonly List<Failure> _recent = new(Remembered);

    /// <summary>
    /// Records a failure; true when an earlier failure of another process was at the same block in the same
    /// module (<paramref name="earlier"/>): a deterministic fault. Its failures are then forgotten, so a later
    /// failure there (after the quarantine is lifted) needs its own evidence again.
    /// </summary>
    public bool Observe(Failure failure, out Failure earlier)
    {
        ArgumentNullException.ThrowIfNull(failure.Module);
        for (int i = _recent.Count - 1; i >= 0; i--)
        {
            Failure f = _recent[i];
            if (f.Block == failure.Block && f.Pid != failure.Pid && string.Equals(f.Module, failure.Module, StringComparison.Ordinal))
            {
                earlier = f;
                _recent.RemoveAll(x => x.Block == failure.Block && string.Equals(x.Module, failure.Module, StringComparison.Ordinal));
                return true;
            }
        }
        if (_recent.Count == Remembered)
        {
            _recent.RemoveAt(0);
        }
        _recent.Add(failure);
        earlier = default;
        return false;
    }

    /// <summary>One worker's death or hang inside a module.</summary>
    /// <param name="Block">The block it was rendering.</param>
    /// <param name="Module">The id of the module it was in.</param>
    /// <param name="Reason">Crash (it died) or hang (it was killed as hung).</param>
    /// <param name="Pid">The worker process: two failures of one process are one failure.</param>
    /// <param name="Slot">Its slot.</param>
    public readonly record struct Failure(long Block, string Module, QuarantineReason Reason, int Pid, int Slot);
}
