using System.Runtime.CompilerServices;

namespace Perpetuo.Transport;

/// <summary>
/// The supervisor's own copy of the live input: an input ring in this process's memory, in the same format as a
/// region's (<see cref="InputRingWriter"/>, <see cref="InputRingReader"/>). The callback writes every input block
/// into it as into the regions; the control thread reads it to journal the input. No worker can reach it, so what
/// is journaled is what the callback captured, whatever a worker does to its own region.
/// </summary>
/// <remarks>
/// Design: one pinned array, allocated and touched (committed) when the engine is built, never moved by the GC.
/// </remarks>
public sealed unsafe class InputTape
{
    private readonly byte[] _memory;

    /// <summary>A tape of <paramref name="layout"/>'s input capacity, slot stride and block. Control thread only.</summary>
    public InputTape(RegionLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        if (!layout.HasInput)
        {
            throw new ArgumentException("the layout carries no live input", nameof(layout));
        }
        Layout = layout;
        // Pinned (never moved, so the pointer stays valid) and zeroed by the allocation: every page is written here,
        // so a lack of memory shows now, not in the audio callback.
        _memory = GC.AllocateArray<byte>(checked((int)((long)layout.InputCapacity * layout.SlotStride)), pinned: true);
        Base = (byte*)Unsafe.AsPointer(ref _memory[0]);
        StampedSlot.Clear(Base, layout.InputCapacity, layout.SlotStride); // no slot holds a block yet
    }

    /// <summary>The format of the blocks.</summary>
    public RegionLayout Layout { get; }

    internal byte* Base { get; }
}
