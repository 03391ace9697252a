namespace Perpetuo.Supervisor.Callback;

/// <summary>
/// How long each audio callback took, in <see cref="System.Diagnostics.Stopwatch"/> ticks: written by the callback,
/// drained by the control thread into the callback-duration histogram.
/// </summary>
/// <remarks>
/// Design: the callback must not record into a <c>Histogram</c> itself (a listener may allocate or lock), so it
/// only stores one <c>long</c> per callback in this preallocated single-producer / single-consumer ring, in the
/// shape of <see cref="EventQueue"/>: each side owns one index and caches the other's, on separate 128-byte lines.
/// Full policy: the newest duration is dropped and <see cref="Dropped"/> counted (the histogram is a sample of the
/// callbacks, never a reason to wait). At 48 kHz / 256 frames the default 1024 entries hold 5.4 s, far more than
/// the control thread's drain interval.
/// </remarks>
public sealed class CallbackTimings
{
    private readonly long[] _ticks;
    private readonly int _mask;
    private PaddedLong _head; // consumer's line: next to read, and its cached copy of _tail
    private PaddedLong _tail; // producer's line: next to write, and its cached copy of _head
    private long _dropped;

    public CallbackTimings(int capacityPow2 = 1024)
    {
        if (capacityPow2 < 2 || (capacityPow2 & (capacityPow2 - 1)) != 0)
        {
            throw new ArgumentException("capacity must be a power of two >= 2", nameof(capacityPow2));
        }
        _ticks = new long[capacityPow2];
        _mask = capacityPow2 - 1;
    }

    /// <summary>Durations dropped because the control thread had not drained the ring.</summary>
    public long Dropped => Volatile.Read(ref _dropped);

    /// <summary>Stores one callback's duration, or counts it as dropped.</summary>
    /// <remarks>Audio thread only. Wait-free, allocation-free.</remarks>
    public void TryAdd(long ticks)
    {
        long tail = _tail.Value;
        if (tail - _tail.Cached > _mask)
        {
            _tail.Cached = Volatile.Read(ref _head.Value); // acquire: the consumer is done with the entries it freed
            if (tail - _tail.Cached > _mask)
            {
                Volatile.Write(ref _dropped, _dropped + 1);
                return;
            }
        }
        _ticks[tail & _mask] = ticks;
        Volatile.Write(ref _tail.Value, tail + 1); // release: the entry is written before it is visible
    }

    /// <summary>Takes the oldest duration. Control thread only.</summary>
    public bool TryTake(out long ticks)
    {
        long head = _head.Value;
        if (head >= _head.Cached)
        {
            _head.Cached = Volatile.Read(ref _tail.Value); // acquire: pairs with the producer's release
            if (head >= _head.Cached)
            {
                ticks = 0;
                return false;
            }
        }
        ticks = _ticks[head & _mask];
        Volatile.Write(ref _head.Value, head + 1); // release: our read of the entry is done before it can be reused
        return true;
    }
}
