namespace Perpetuo.Supervisor.Callback;

/// <summary>
/// Hands values from the audio callback to the control thread without allocating, locking or blocking.
/// </summary>
/// <remarks>
/// Design: single producer (the audio callback) / single consumer (the control thread) ring of unmanaged values,
/// in the shape of dotnet/runtime's SingleProducerConsumerQueue: each side owns one index and keeps a cached copy
/// of the other's, and the two sides' indices sit on separate 128-byte lines. Capacity is a power of two and the
/// 64-bit indices never wrap. Full policy: the new value is dropped and <see cref="Dropped"/> counted — what the
/// values describe is also counted elsewhere, so a full ring loses a log line or a timing sample, never a count,
/// and the callback never waits.
/// </remarks>
public class SpscRing<T>
    where T : unmanaged
{
    private readonly T[] _items;
    private readonly int _mask;
    private PaddedLong _head; // consumer's line: next to read, and its cached copy of _tail
    private PaddedLong _tail; // producer's line: next to write, and its cached copy of _head
    private long _dropped;

    public SpscRing(int capacityPow2)
    {
        if (capacityPow2 < 2 || (capacityPow2 & (capacityPow2 - 1)) != 0)
        {
            throw new ArgumentException("capacity must be a power of two >= 2", nameof(capacityPow2));
        }
        _items = new T[capacityPow2];
        _mask = capacityPow2 - 1;
    }

    /// <summary>Values dropped because the ring was full.</summary>
    public long Dropped => Volatile.Read(ref _dropped);

    /// <summary>Adds a value or counts it as dropped.</summary>
    /// <remarks>Audio thread only. Wait-free, allocation-free.</remarks>
    protected void TryWrite(in T value)
    {
        long tail = _tail.Value;
        if (tail - _tail.Cached > _mask)
        {
            _tail.Cached = Volatile.Read(ref _head.Value); // acquire: the consumer is done with the slots it freed
            if (tail - _tail.Cached > _mask)
            {
                Volatile.Write(ref _dropped, _dropped + 1);
                return;
            }
        }
        _items[tail & _mask] = value;
        Volatile.Write(ref _tail.Value, tail + 1); // release: the value is written before it is visible
    }

    /// <summary>Takes the oldest value. Control thread only.</summary>
    public bool TryTake(out T value)
    {
        long head = _head.Value;
        if (head >= _head.Cached)
        {
            _head.Cached = Volatile.Read(ref _tail.Value); // acquire: pairs with the producer's release
            if (head >= _head.Cached)
            {
                value = default;
                return false;
            }
        }
        value = _items[head & _mask];
        Volatile.Write(ref _head.Value, head + 1); // release: our read of the slot is done before it can be reused
        return true;
    }
}
