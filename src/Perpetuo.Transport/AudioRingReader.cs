using System.Runtime.CompilerServices;

namespace Perpetuo.Transport;

/// <summary>
/// Consumer side of a slot's audio ring, used by the supervisor's audio callback. Treats the region as untrusted.
/// </summary>
/// <remarks>
/// Design: the consumer copies block N into the caller's buffer, re-checks the slot's seqlock, verifies the
/// producer's hash over the copied samples and that every sample is finite, and only then reports success; the
/// slot is released separately by <see cref="Release"/> after the caller is done. It never hands out a view into
/// the ring (the predecessor's silent-output bug: a view released before it was read). Every value read from the
/// region is range-checked against this side's own <see cref="RegionLayout"/>; a value that cannot be right gives
/// <see cref="ReadResult.Faulty"/>, never an exception or an out-of-range access.
/// </remarks>
public sealed unsafe class AudioRingReader
{
    private readonly SharedRegion _region;
    private readonly int _mask;
    private readonly int _samples;

    public AudioRingReader(SharedRegion region)
    {
        ArgumentNullException.ThrowIfNull(region);
        _region = region;
        _mask = region.Layout.RingCapacity - 1;
        _samples = region.Layout.BlockSamples;
    }

    /// <summary>Copies and verifies block <paramref name="seq"/> into <paramref name="destination"/>.</summary>
    /// <remarks>Audio thread only. Wait-free, allocation-free. On anything but Ok the destination content is undefined.</remarks>
    public ReadResult TryRead(long seq, Span<float> destination, out ulong hash)
    {
        hash = 0;
        ReadResult found = TryLocate(seq, out byte* slot);
        if (found != ReadResult.Ok)
        {
            return found;
        }
        ref AudioSlotHeader header = ref Unsafe.AsRef<AudioSlotHeader>(slot);
        new ReadOnlySpan<float>(slot + AudioSlotHeader.Size, _samples).CopyTo(destination[.._samples]);
        hash = header.Hash;
        // Full fence: the sample loads above must complete before the sequence is read again (acquire alone would
        // let them move below it), otherwise a concurrent overwrite could go unnoticed.
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref header.Seq) != seq)
        {
            return ReadResult.Faulty; // overwritten while unreleased: the producer broke the protocol
        }
        return Verify(destination[.._samples], hash);
    }

    /// <summary>Reads the producer's hash of block <paramref name="seq"/> without copying it.</summary>
    /// <remarks>Audio thread only. Wait-free, allocation-free.</remarks>
    public ReadResult TryPeekHash(long seq, out ulong hash)
    {
        hash = 0;
        ReadResult found = TryLocate(seq, out byte* slot);
        if (found != ReadResult.Ok)
        {
            return found;
        }
        ref AudioSlotHeader header = ref Unsafe.AsRef<AudioSlotHeader>(slot);
        hash = header.Hash;
        Interlocked.MemoryBarrier(); // as in TryRead: the hash load completes before the seqlock re-check
        return Volatile.Read(ref header.Seq) == seq ? ReadResult.Ok : ReadResult.Faulty;
    }

    /// <summary>Tells the producer that every block below <paramref name="nextSeq"/> is consumed.</summary>
    /// <remarks>Audio thread only. Wait-free, allocation-free.</remarks>
    public void Release(long nextSeq)
    {
        // Release: our copy out of the slot is complete before the producer may reuse it.
        Volatile.Write(ref _region.Header.ReadPosition, nextSeq);
    }

    /// <summary>The producer's published write position, unchecked (diagnostics only).</summary>
    public long WritePosition => Volatile.Read(ref _region.Header.WritePosition);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ReadResult TryLocate(long seq, out byte* slot)
    {
        slot = null;
        // Acquire: slot contents published before WritePosition are visible after this read.
        long written = Volatile.Read(ref _region.Header.WritePosition);
        if (written < 0)
        {
            return ReadResult.Faulty; // positions only grow from 0: a negative one is garbage
        }
        if (written <= seq)
        {
            return ReadResult.Missing;
        }
        if (written - seq > _mask + 1)
        {
            // The producer claims blocks beyond the free slots (or a scribbled/garbage position), unless it is
            // simply far ahead of a consumer that skipped ahead, which the protocol forbids too.
            return ReadResult.Faulty;
        }
        slot = _region.AudioSlot((int)(seq & _mask));
        ref AudioSlotHeader header = ref Unsafe.AsRef<AudioSlotHeader>(slot);
        // Acquire: pairs with the producer's release of Seq after the samples.
        long stamped = Volatile.Read(ref header.Seq);
        if (stamped != seq || header.Frames != _region.Layout.BlockFrames || header.Channels != _region.Layout.Channels)
        {
            return ReadResult.Faulty;
        }
        return ReadResult.Ok;
    }

    private static ReadResult Verify(ReadOnlySpan<float> copied, ulong hash) =>
        BlockHash.Compute(copied, out bool finite) == hash && finite ? ReadResult.Ok : ReadResult.Faulty;
}
