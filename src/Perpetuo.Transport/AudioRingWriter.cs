using System.Runtime.CompilerServices;

namespace Perpetuo.Transport;

/// <summary>
/// Producer side of a slot's audio ring: the worker publishes one rendered block per call.
/// </summary>
/// <remarks>
/// Design: single producer (the worker's render thread), single consumer (the supervisor's audio callback), across
/// processes. Slots are addressed by block sequence number (<c>seq &amp; mask</c>), so positions are 64-bit and
/// monotonic and double as the frame clock. The producer owns <see cref="RegionHeader.WritePosition"/>; it reads
/// the consumer's <see cref="RegionHeader.ReadPosition"/> to know which slots are free. It may write block s while
/// <c>s &lt; ReadPosition + capacity</c>; blocks older than ReadPosition are still written (a catching-up worker
/// after a resync) and simply never read. Each slot's sequence is a seqlock: -1 while being written.
/// </remarks>
public sealed unsafe class AudioRingWriter
{
    private readonly SharedRegion _region;
    private readonly int _mask;
    private readonly int _samples;
    private readonly int _frames;
    private readonly int _channels;
    private long _readCache; // producer's cached copy of the consumer's index (dotnet/runtime's _firstCopy)

    public AudioRingWriter(SharedRegion region)
    {
        ArgumentNullException.ThrowIfNull(region);
        _region = region;
        _mask = region.Layout.RingCapacity - 1;
        _samples = region.Layout.BlockSamples;
        _frames = region.Layout.BlockFrames;
        _channels = region.Layout.Channels;
    }

    /// <summary>Whether block <paramref name="seq"/> may be written now (its slot has been released). Worker thread only.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool CanWrite(long seq)
    {
        if (seq < _readCache + _mask + 1)
        {
            return true;
        }
        // Acquire: the consumer finished copying a slot before it published its new ReadPosition.
        _readCache = Volatile.Read(ref _region.Header.ReadPosition);
        return seq < _readCache + _mask + 1;
    }

    /// <summary>
    /// Copies <paramref name="block"/> into the slot of <paramref name="seq"/>, stamps its sequence, frame count and
    /// hash, and publishes it. Returns false (writes nothing) if the slot is not free. Worker thread only.
    /// </summary>
    public bool TryWrite(long seq, ReadOnlySpan<float> block)
    {
        if (block.Length != _samples)
        {
            throw new ArgumentException($"block has {block.Length} samples, the ring carries {_samples}");
        }
        if (!CanWrite(seq))
        {
            return false;
        }
        StampedSlot.Write(_region.AudioSlot((int)(seq & _mask)), seq, block, _frames, _channels);
        // Release: the slot is complete before the consumer can see the new write position.
        Volatile.Write(ref _region.Header.WritePosition, seq + 1);
        return true;
    }
}
