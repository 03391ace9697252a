using System.Runtime.CompilerServices;

namespace Perpetuo.Transport;

/// <summary>
/// One block in a ring slot: an <see cref="AudioSlotHeader"/> stamped with the block's number, then its samples.
/// The one definition of how a block is written and copied out, shared by the audio ring (worker to callback) and the
/// input ring (callback to worker).
/// </summary>
/// <remarks>
/// Design: <see cref="AudioSlotHeader.Seq"/> is a seqlock. The writer stores -1, the samples, the count and the
/// hash, then the number; a reader that sees the number before and after its copy, and a hash that matches the
/// samples it copied, holds the whole block. Neither side ever waits for the other: a torn copy is reported, not
/// retried here. Wait-free, allocation-free.
/// </remarks>
internal static unsafe class StampedSlot
{
    /// <summary>Writes block <paramref name="seq"/> into <paramref name="slot"/> and stamps it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Write(byte* slot, long seq, ReadOnlySpan<float> block, int frames, int channels)
    {
        ref AudioSlotHeader header = ref Unsafe.AsRef<AudioSlotHeader>(slot);
        Volatile.Write(ref header.Seq, -1);
        // Write barrier: the -1 above becomes visible before any sample store below (a release store orders only
        // what precedes it), so a reader that sees the old number after copying knows it copied old samples.
        // On x86 stores are not reordered with stores, so this costs no instruction there, unlike a full fence.
        Volatile.WriteBarrier();
        ulong hash = BlockHash.CopyAndCompute(block, new Span<float>(slot + AudioSlotHeader.Size, block.Length));
        header.Frames = frames;
        header.Channels = channels;
        header.Hash = hash;
        // Release: samples, count and hash are written before the number that vouches for them.
        Volatile.Write(ref header.Seq, seq);
    }

    /// <summary>Stamps <paramref name="slots"/> slots of <paramref name="stride"/> bytes from <paramref name="ring"/> as holding no block (-1). Before any reader.</summary>
    public static void Clear(byte* ring, int slots, int stride)
    {
        for (int i = 0; i < slots; i++)
        {
            Volatile.Write(ref Unsafe.AsRef<AudioSlotHeader>(ring + ((long)i * stride)).Seq, -1);
        }
    }

    /// <summary>True when the slot is stamped with <paramref name="seq"/> and the format. Acquire: its samples are visible.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Holds(byte* slot, long seq, int frames, int channels)
    {
        ref AudioSlotHeader header = ref Unsafe.AsRef<AudioSlotHeader>(slot);
        return Volatile.Read(ref header.Seq) == seq && header.Frames == frames && header.Channels == channels;
    }

    /// <summary>The number the slot is stamped with now (-1 while being written). Acquire.</summary>
    public static long Stamp(byte* slot) => Volatile.Read(ref Unsafe.AsRef<AudioSlotHeader>(slot).Seq);

    /// <summary>
    /// Copies the samples of a slot found holding <paramref name="seq"/> (<see cref="Holds"/>) into
    /// <paramref name="destination"/>; true only if it still holds it afterwards, every sample is finite and the
    /// copy's hash is the writer's. <paramref name="hash"/> is the writer's hash.
    /// </summary>
    public static bool TryCopy(byte* slot, long seq, Span<float> destination, out ulong hash)
    {
        ref AudioSlotHeader header = ref Unsafe.AsRef<AudioSlotHeader>(slot);
        ulong copiedHash = BlockHash.CopyAndCompute(new ReadOnlySpan<float>(slot + AudioSlotHeader.Size, destination.Length),
                                                    destination, out bool finite);
        hash = header.Hash;
        // Read barrier: the sample and hash loads above complete before the number is read again (an acquire load
        // orders only what follows it), otherwise a concurrent overwrite could go unnoticed. On x86 loads are not
        // reordered with loads, so this costs no instruction there, unlike a full fence.
        Volatile.ReadBarrier();
        return Volatile.Read(ref header.Seq) == seq && copiedHash == hash && finite;
    }
}
