namespace Perpetuo.Supervisor.Control;

/// <summary>
/// A count a worker keeps for itself (from 0 when it starts), made monotonic over the session for its slot: the
/// counts of the slot's detached workers plus the attached worker's. <see cref="Observe"/> and
/// <see cref="WorkerReplaced"/>: control thread only; <see cref="Total"/>: any thread.
/// </summary>
/// <remarks>
/// Design: a respawned worker starts its count from 0 (its region line is reset for it, and a snapshot does not
/// carry the count), so the worker's own figure goes backwards at every respawn. The control thread observes it
/// every tick and publishes the session's total with one <see cref="Volatile"/> write; readers on other threads
/// (status, the metrics server) read only that total, never the header. A sum computed by the reader could dip
/// or double in the instant between banking a dead worker's count and zeroing its line; this cannot. The worker's
/// figure is untrusted shared memory, so the total never goes down whatever it says. Observing lags the worker by
/// at most one control tick.
/// </remarks>
internal sealed class SessionCounter
{
    private long _banked; // the detached workers' counts (control thread)
    private long _total;  // published: Volatile

    /// <summary>The session's count: monotonic. Any thread.</summary>
    public long Total => Volatile.Read(ref _total);

    /// <summary>Takes the attached worker's own count (since it started). Control thread, every tick.</summary>
    public void Observe(long workerCount)
    {
        long total = _banked + Math.Max(0, workerCount);
        if (total > _total)
        {
            Volatile.Write(ref _total, total); // release: one store, read whole by any thread
        }
    }

    /// <summary>
    /// Banks the detached worker's count: the next worker counts from 0 on top of it. Control thread, after a last
    /// <see cref="Observe"/> of the old worker and before its region line is reset.
    /// </summary>
    public void WorkerReplaced() => _banked = _total;
}
