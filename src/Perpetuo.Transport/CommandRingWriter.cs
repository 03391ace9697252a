using System.Runtime.CompilerServices;

namespace Perpetuo.Transport;

/// <summary>
/// Producer side of a slot's command ring: the supervisor's control thread appends stamped commands.
/// </summary>
/// <remarks>
/// Design: SPSC ring of fixed 128-byte <see cref="CommandRecord"/>s, power-of-two capacity, 64-bit positions. The
/// producer owns <see cref="RegionHeader.CommandWrite"/> and keeps a cached copy of the consumer's
/// <see cref="RegionHeader.CommandRead"/>. Full policy: <see cref="TryWrite"/> returns false and the caller rejects
/// the command to its sender; nothing accepted is ever dropped. Allocation-free. Control thread only.
/// </remarks>
public sealed unsafe class CommandRingWriter
{
    private readonly SharedRegion _region;
    private readonly int _mask;
    private long _write;
    private long _readCache;

    public CommandRingWriter(SharedRegion region)
    {
        ArgumentNullException.ThrowIfNull(region);
        _region = region;
        _mask = region.Layout.CommandCapacity - 1;
        _write = Volatile.Read(ref region.Header.CommandWrite);
    }

    /// <summary>Free records as of the last look at the consumer.</summary>
    public int FreeSpace
    {
        get
        {
            _readCache = Volatile.Read(ref _region.Header.CommandRead);
            return (int)(_mask + 1 - Math.Clamp(_write - _readCache, 0, _mask + 1));
        }
    }

    /// <summary>Appends one record; false if the ring is full (nothing written).</summary>
    public bool TryWrite(in CommandRecord record)
    {
        if (_write - _readCache > _mask)
        {
            // Acquire: the consumer finished reading the records it released.
            _readCache = Volatile.Read(ref _region.Header.CommandRead);
            if (_write - _readCache > _mask || _readCache > _write)
            {
                return false; // full (or a consumer position that cannot be right: treat as full)
            }
        }
        ref CommandRecord slot = ref Unsafe.AsRef<CommandRecord>(_region.CommandSlot((int)(_write & _mask)));
        slot = record;
        slot.Position = _write;
        _write++;
        // Release: the record is complete before the consumer sees the new write position.
        Volatile.Write(ref _region.Header.CommandWrite, _write);
        return true;
    }

    /// <summary>Re-reads both positions after <see cref="SupervisorLink.ResetForNewWorker"/>.</summary>
    public void Resynchronise()
    {
        _write = Volatile.Read(ref _region.Header.CommandWrite);
        _readCache = Volatile.Read(ref _region.Header.CommandRead);
    }
}
