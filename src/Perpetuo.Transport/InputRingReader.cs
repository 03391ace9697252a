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
    private readonly InputRingSlots _slots;

    /// <summary>Reads <paramref name="region"/>'s input ring. Throws if it has none.</summary>
    public InputRingReader(SharedRegion region) => _slots = InputRingSlots.Of(region);

    /// <summary>Reads the supervisor's own tape.</summary>
    public InputRingReader(InputTape tape) => _slots = InputRingSlots.Of(tape);

    /// <summary>Blocks the ring keeps: a reader further behind than this has lost its input.</summary>
    public int Capacity => _slots.Capacity;

    /// <summary>Whether block <paramref name="seq"/>'s input is there now, without copying it.</summary>
    /// <remarks>Reader thread only. Wait-free, allocation-free.</remarks>
    public InputRead Peek(long seq)
    {
        if (seq < 0)
        {
            return InputRead.Lost;
        }
        long stamp = StampedSlot.Stamp(_slots.Slot(seq));
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
        byte* slot = _slots.Slot(seq);
        int samples = _slots.Frames * _slots.Channels;
        if (destination.Length < samples || !StampedSlot.Holds(slot, seq, _slots.Frames, _slots.Channels))
        {
            return InputRead.Lost; // the stamp is right but the count is not: malformed
        }
        // A failed copy is an overwrite under our feet (the slot now holds a later block) or a corrupt block: the
        // input of seq is gone either way.
        return StampedSlot.TryCopy(slot, seq, destination[..samples], out _) ? InputRead.Ready : InputRead.Lost;
    }
}
