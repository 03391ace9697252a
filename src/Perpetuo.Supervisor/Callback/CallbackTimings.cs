namespace Perpetuo.Supervisor.Callback;

/// <summary>
/// How long each audio callback took, in <see cref="System.Diagnostics.Stopwatch"/> ticks: written by the callback,
/// drained by the control thread into the callback-duration histogram (see <see cref="SpscRing{T}"/>).
/// </summary>
/// <remarks>
/// The callback must not record into a <c>Histogram</c> itself (a listener may allocate or lock), so it only stores
/// one <c>long</c> per callback here. A full ring drops the newest duration (the histogram is a sample of the
/// callbacks, never a reason to wait). At 48 kHz / 256 frames the default 1024 entries hold 5.4 s, far more than
/// the control thread's drain interval.
/// </remarks>
public sealed class CallbackTimings(int capacityPow2 = 1024) : SpscRing<long>(capacityPow2)
{
    /// <summary>Stores one callback's duration, or counts it as dropped.</summary>
    /// <remarks>Audio thread only. Wait-free, allocation-free.</remarks>
    public void TryAdd(long ticks) => TryWrite(ticks);
}
