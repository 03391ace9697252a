using System.Runtime.CompilerServices;

namespace Perpetuo.Transport;

/// <summary>
/// Consumer side of a slot's audio ring, used by the supervisor's audio callback. Treats the region as untrusted.
/// </summary>
/// <remarks>
/// Design: the consumer copies block N into the caller's buffer, hashing the copied samples and checking that
/// every one is finite in the same pass, re-checks the slot's seqlock, compares its hash with the producer's, and
/// only then reports success; the slot is released separately by <see cref="Release"/> after the caller is done.
/// It never hands out a view into the ring (the predecessor's silent-output bug: a view released before it was
/// read). Every value read from the region is range-checked against this side's own <see cref="RegionLayout"/>; a
/// value that cannot be right gives <see cref="ReadResult.Faulty"/>, never an exception or an out-of-range access.
/// Like JACK2's and Boost's rings it keeps a copy of the producer's index and re-reads the shared one only when
/// the copy is used up; the copy is dropped whenever the supervisor attaches a new producer to the region, so
/// blocks a dead worker left behind are never taken for the new worker's.
/// </remarks>
public sealed unsafe class AudioRingReader
{
    /// <summary>The types the audio callback runs when it reads a ring (and writes the live input), to compile before the first callback.</summary>
    public static IReadOnlyList<Type> CallbackTypes { get; } =
        [typeof(AudioRingReader), typeof(BlockHash), typeof(StampedSlot), typeof(InputRingWriter), typeof(RegionDoorbell)];

    private readonly SharedRegion _region;
    private readonly RegionDoorbell _doorbell;
    private readonly int _mask;
    private readonly int _samples;
    private readonly int _frames;
    private readonly int _channels;
    private long _publishedBelow; // the producer's write position as last read (the consumer's cached copy)
    private int _epoch;           // the producer epoch that position belongs to

    public AudioRingReader(SharedRegion region)
    {
        ArgumentNullException.ThrowIfNull(region);
        _region = region;
        _doorbell = new RegionDoorbell(region);
        _mask = region.Layout.RingCapacity - 1;
        _samples = region.Layout.BlockSamples;
        _frames = region.Layout.BlockFrames;
        _channels = region.Layout.Channels;
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
        // A copy that fails its checks (overwritten while unreleased, a hash that does not match, a sample that is not
        // finite) means the producer broke the protocol.
        return StampedSlot.TryCopy(slot, seq, destination[.._samples], out hash) ? ReadResult.Ok : ReadResult.Faulty;
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
        Volatile.ReadBarrier(); // as in TryRead: the hash load completes before the seqlock re-check
        return Volatile.Read(ref header.Seq) == seq ? ReadResult.Ok : ReadResult.Faulty;
    }

    /// <summary>Tells the producer that every block below <paramref name="nextSeq"/> is consumed.</summary>
    /// <remarks>Audio thread only. Wait-free, allocation-free.</remarks>
    public void Release(long nextSeq)
    {
        // Release: our copy out of the slot is complete before the producer may reuse it.
        Volatile.Write(ref _region.Header.ReadPosition, nextSeq);
        _doorbell.Ring(); // a slot is free and the worker's lead moved: wake it if it sleeps
    }

    /// <summary>The producer's published write position, unchecked (diagnostics only).</summary>
    public long WritePosition => Volatile.Read(ref _region.Header.WritePosition);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ReadResult TryLocate(long seq, out byte* slot)
    {
        int epoch = _region.ProducerEpoch;
        if (seq < _publishedBelow && epoch == _epoch)
        {
            // The same producer already published this block: skip re-reading its write position, a cache line it
            // writes every block (the consumer's cached index of a JACK2 or Boost ring). The slot's own stamp is
            // still checked, and any doubt goes down the full path below.
            slot = _region.AudioSlot((int)(seq & _mask));
            if (SlotHolds(slot, seq))
            {
                return ReadResult.Ok;
            }
        }
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
        if (!SlotHolds(slot, seq))
        {
            return ReadResult.Faulty;
        }
        _publishedBelow = written;
        _epoch = epoch;
        return ReadResult.Ok;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool SlotHolds(byte* slot, long seq)
    {
        // Acquire: pairs with the producer's release of Seq after the samples.
        return StampedSlot.Holds(slot, seq, _frames, _channels);
    }
}
