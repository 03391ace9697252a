namespace Perpetuo.Transport;

/// <summary>
/// Where an input ring's slots are: a slot region's ring (after its snapshot area) or the supervisor's
/// <see cref="InputTape"/>, and the format of its blocks. The one addressing both ring ends use.
/// </summary>
internal readonly unsafe struct InputRingSlots
{
    // Keeps the memory alive while a ring end holds a pointer into it: a tape's pinned array is freed once unreachable,
    // and a region's view is unmapped by its finalizer (seen: a test whose tape was collected under its writer crashed).
    private readonly object _owner;
    private readonly byte* _base;
    private readonly int _mask;
    private readonly int _stride;

    private InputRingSlots(object owner, byte* ring, RegionLayout layout)
    {
        _owner = owner;
        _base = ring;
        _mask = layout.InputCapacity - 1;
        _stride = layout.SlotStride;
        Capacity = layout.InputCapacity;
        Frames = layout.BlockFrames;
        Channels = layout.Channels;
    }

    /// <summary>Blocks the ring keeps.</summary>
    public int Capacity { get; }

    public int Frames { get; }

    public int Channels { get; }

    /// <summary><paramref name="region"/>'s input ring. Throws if it has none.</summary>
    public static InputRingSlots Of(SharedRegion region)
    {
        ArgumentNullException.ThrowIfNull(region);
        return region.Layout.HasInput
            ? new InputRingSlots(region, region.Base + region.Layout.InputRingOffset, region.Layout)
            : throw new ArgumentException("the region carries no live input", nameof(region));
    }

    /// <summary>The supervisor's own tape.</summary>
    public static InputRingSlots Of(InputTape tape)
    {
        ArgumentNullException.ThrowIfNull(tape);
        return new InputRingSlots(tape, tape.Base, tape.Layout);
    }

    /// <summary>The slot block <paramref name="seq"/> goes in (seq &gt;= 0).</summary>
    public byte* Slot(long seq) => _base + ((seq & _mask) * _stride);
}
