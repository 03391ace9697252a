namespace Perpetuo.Transport;

/// <summary>
/// Writes the live input, block by block, into an input ring: a slot region's (for its worker) or the supervisor's
/// <see cref="InputTape"/>. The supervisor's audio callback is the only writer.
/// </summary>
/// <remarks>
/// Design: the ring keeps the last <see cref="RegionLayout.InputCapacity"/> blocks, each stamped with the number of
/// the output block it is the input of (<see cref="StampedSlot"/>). There is no flow control: the writer never
/// waits and always overwrites the oldest block, because the device clock rules; a reader that falls a whole ring
/// behind finds a newer stamp and knows it lost its input. A region's ring sits after the snapshot area and survives
/// every new worker: the input a respawned worker needs to catch up is still there. The writer rings the region's
/// doorbell when asked to: a worker may be asleep waiting for exactly this input.
/// </remarks>
public sealed unsafe class InputRingWriter
{
    private readonly InputRingSlots _slots;
    private readonly RegionDoorbell? _doorbell;

    /// <summary>Writes into <paramref name="region"/>'s input ring. Throws if it has none.</summary>
    public InputRingWriter(SharedRegion region)
    {
        _slots = InputRingSlots.Of(region);
        _doorbell = new RegionDoorbell(region);
    }

    /// <summary>Writes into the supervisor's own tape.</summary>
    public InputRingWriter(InputTape tape) => _slots = InputRingSlots.Of(tape);

    /// <summary>
    /// Stamps <paramref name="block"/> as the input of block <paramref name="seq"/>, overwriting the block a ring
    /// before it; false (nothing written) if the block is not one block of the ring's format. With
    /// <paramref name="wake"/>, rings the region's doorbell after it (a worker may be waiting for this input).
    /// </summary>
    /// <remarks>Audio thread only (or before the audio thread starts). Wait-free, allocation-free.</remarks>
    public bool TryWrite(long seq, ReadOnlySpan<float> block, bool wake = true)
    {
        if (seq < 0 || block.Length != _slots.Frames * _slots.Channels)
        {
            return false;
        }
        StampedSlot.Write(_slots.Slot(seq), seq, block, _slots.Frames, _slots.Channels);
        if (wake)
        {
            _doorbell?.Ring(); // the worker may be waiting for this very block
        }
        return true;
    }
}
