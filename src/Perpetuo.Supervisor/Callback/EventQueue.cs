namespace Perpetuo.Supervisor.Callback;

/// <summary>
/// Hands events from the audio callback to the control thread without allocating, locking or blocking.
/// </summary>
/// <remarks>
/// Design: single producer (audio callback) / single consumer (control thread) ring of structs, in the shape of
/// dotnet/runtime's SingleProducerConsumerQueue: each side owns one index and caches the other's; the indices
/// sit on separate 128-byte lines. Full policy: the event is dropped and <see cref="Dropped"/> counted — the
/// counters the events describe live elsewhere, so a lost event loses a log line, never a count.
/// </remarks>
public sealed class EventQueue
{
    private readonly EngineEvent[] _items;
    private readonly int _mask;
    private PaddedLong _head; // consumer's line: next to read, and its cached copy of _tail
    private PaddedLong _tail; // producer's line: next to write, and its cached copy of _head
    private long _dropped;

    public EventQueue(int capacityPow2 = 1024)
    {
        if (capacityPow2 < 2 || (capacityPow2 & (capacityPow2 - 1)) != 0)
        {
            throw new ArgumentException("capacity must be a power of two >= 2", nameof(capacityPow2));
        }
        _items = new EngineEvent[capacityPow2];
        _mask = capacityPow2 - 1;
    }

    /// <summary>Events dropped because the queue was full.</summary>
    public long Dropped => Volatile.Read(ref _dropped);

    /// <summary>Adds an event or counts it as dropped.</summary>
    /// <remarks>Audio thread only. Wait-free, allocation-free.</remarks>
    public void TryPost(in EngineEvent e)
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
        _items[tail & _mask] = e;
        Volatile.Write(ref _tail.Value, tail + 1); // release: the item is written before it is visible
    }

    /// <summary>Takes the oldest event. Control thread only.</summary>
    public bool TryTake(out EngineEvent e)
    {
        long head = _head.Value;
        if (head >= _head.Cached)
        {
            _head.Cached = Volatile.Read(ref _tail.Value); // acquire: pairs with the producer's release
            if (head >= _head.Cached)
            {
                e = default;
                return false;
            }
        }
        e = _items[head & _mask];
        Volatile.Write(ref _head.Value, head + 1); // release: our read of the slot is done before it can be reused
        return true;
    }
}
