namespace Perpetuo.Transport;

/// <summary>
/// Reads the live input of a block from an input ring (<see cref="InputRingWriter"/>): a worker from its region, the
/// control thread from the supervisor's <see cref="InputTape"/>.
/// </summary>
/// <remarks>
/// Design: the reader asks for a block by number and looks only at that slot's stamp: the block itself, a smaller
/// number (not written yet), or a larger one (overwritten: lost for good). It copies under the slot's seqlock and
/// checks the copy's hash, so a block overwritten while being copied is never taken for the input. Nothing is
/// trusted: a stamp, count or hash that cannot be right is <see cref="InputRead.Lost"/>, never an exception.
/// Single reader thread per instance (a worker's render thread, or the control thread); never waits.
/// </remarks>
public sealed unsafe class InputRingReader
{
    // Keeps the memory alive while this holds a pointer into it: a tape's pinned array is freed once unreachable, and
    // a region's view is unmapped by its finalizer (seen: a test whose tape was collected under its writer crashed).
    private readonly object _owner;
    private readonly byte* _base;
    private readonly int _mask;
    private readonly int _stride;
    private readonly int _frames;
    private readonly int _channels;

    /// <summary>Reads <paramref name="region"/>'s input ring. Throws if it has none.</summary>
    public InputRingReader(SharedRegion region)
    {
        ArgumentNullException.ThrowIfNull(region);
        if (!region.Layout.HasInput)
        {
            throw new ArgumentException("the region carries no live input", nameof(region));
        }
        _owner = region;
        _base = region.Base + region.Layout.InputRingOffset;
        (_mask, _stride, _frames, _channels) = (region.Layout.InputCapacity - 1, region.Layout.SlotStride, region.Layout.BlockFrames, region.Layout.Channels);
        Capacity = region.Layout.InputCapacity;
    }

    /// <summary>Reads the supervisor's own tape.</summary>
    public InputRingReader(InputTape tape)
    {
        ArgumentNullException.ThrowIfNull(tape);
        RegionLayout layout = tape.Layout;
        _owner = tape;
        _base = tape.Base;
        (_mask, _stride, _frames, _channels) = (layout.InputCapacity - 1, layout.SlotStride, layout.BlockFrames, layout.Channels);
        Capacity = layout.InputCapacity;
    }

    /// <summary>Blocks the ring keeps: a reader further behind than this has lost its input.</summary>
    public int Capacity { get; }

    /// <summary>Whether block <paramref name="seq"/>'s input is there now, without copying it.</summary>
    /// <remarks>Reader thread only. Wait-free, allocation-free.</remarks>
    public InputRead Peek(long seq)
    {
        if (seq < 0)
        {
            return InputRead.Lost;
        }
        long stamp = StampedSlot.Stamp(Slot(seq));
        return stamp == seq ? InputRead.Ready : stamp > seq ? InputRead.Lost : InputRead.NotYet;
    }

    /// <summary>Copies block <paramref name="seq"/>'s input into <paramref name="destination"/> (one block).</summary>
    /// <remarks>Reader thread only. Wait-free, allocation-free. On anything but Ready the destination is undefined.</remarks>
    public InputRead TryRead(long seq, Span<float> destination)
    {
        InputRead found = Peek(seq);
        if (found != InputRead.Ready)
        {
            return found;
        }
        byte* slot = Slot(seq);
        if (destination.Length < _frames * _channels || !StampedSlot.Holds(slot, seq, _frames, _channels))
        {
            return InputRead.Lost; // the stamp is right but the count is not: malformed
        }
        // A failed copy is an overwrite under our feet (the slot now holds a later block) or a corrupt block: the
        // input of seq is gone either way.
        return StampedSlot.TryCopy(slot, seq, destination[..(_frames * _channels)], out _) ? InputRead.Ready : InputRead.Lost;
    }

    private byte* Slot(long seq) => _base + ((seq & _mask) * _stride);
}
