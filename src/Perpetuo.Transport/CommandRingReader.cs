using System.Runtime.CompilerServices;

namespace Perpetuo.Transport;

/// <summary>
/// Consumer side of a slot's command ring: the worker peeks at the oldest command and consumes it once applied.
/// </summary>
/// <remarks>
/// Design: SPSC; the worker owns <see cref="RegionHeader.CommandRead"/>. Records are copied out before the
/// position is released, so the producer can never overwrite one that is still being read. Empty policy: the
/// worker renders on; commands are stamped for future blocks, so an empty ring is the normal case. A write position
/// that cannot be right is reported as <see cref="Corrupt"/>. Worker thread only. Allocation-free.
/// </remarks>
public sealed unsafe class CommandRingReader
{
    private readonly SharedRegion _region;
    private readonly int _mask;
    private long _read;
    private long _writeCache;

    public CommandRingReader(SharedRegion region)
    {
        ArgumentNullException.ThrowIfNull(region);
        _region = region;
        _mask = region.Layout.CommandCapacity - 1;
        _read = Volatile.Read(ref region.Header.CommandRead);
    }

    /// <summary>Set when the producer's position or a record's position was impossible.</summary>
    public bool Corrupt { get; private set; }

    /// <summary>Copies the oldest unconsumed record; false if the ring is empty.</summary>
    public bool TryPeek(out CommandRecord record)
    {
        if (_read >= _writeCache)
        {
            // Acquire: records written before CommandWrite are visible.
            _writeCache = Volatile.Read(ref _region.Header.CommandWrite);
            if (_writeCache - _read > _mask + 1 || _writeCache < _read)
            {
                Corrupt = true;
            }
            if (_read >= _writeCache || Corrupt)
            {
                record = default;
                return false;
            }
        }
        record = Unsafe.AsRef<CommandRecord>(_region.CommandSlot((int)(_read & _mask)));
        if (record.Position != _read)
        {
            Corrupt = true;
            return false;
        }
        return true;
    }

    /// <summary>
    /// Copies the record at absolute ring position <paramref name="position"/> (not yet consumed, already written),
    /// to look ahead at commands stamped for later blocks; false if there is none there (yet) or it is not intact.
    /// Nothing is consumed.
    /// </summary>
    public bool TryPeekAt(long position, out CommandRecord record)
    {
        long write = Volatile.Read(ref _region.Header.CommandWrite); // acquire, as in TryPeek
        if (position < _read || position >= write || write - _read > _mask + 1)
        {
            record = default;
            return false;
        }
        record = Unsafe.AsRef<CommandRecord>(_region.CommandSlot((int)(position & _mask)));
        return record.Position == position;
    }

    /// <summary>The absolute position of the oldest unconsumed record.</summary>
    public long ReadPosition => _read;

    /// <summary>Consumes the record last returned by <see cref="TryPeek"/>.</summary>
    public void Advance()
    {
        _read++;
        // Release: our copy of the record is done before the producer may reuse its slot.
        Volatile.Write(ref _region.Header.CommandRead, _read);
    }
}
