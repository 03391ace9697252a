using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Perpetuo.Audio;

/// <summary>
/// Wraps the block source an output plays and records exactly what it produced: each filled block is copied into
/// a preallocated ring on the audio thread and handed to a <see cref="BlockSink"/> (a WAV file) on a writer thread.
/// </summary>
/// <remarks>
/// Design: a single-producer/single-consumer ring of whole blocks, in the shape of dotnet/runtime's
/// <c>SingleProducerConsumerQueue</c>. The producer is the output's audio thread (one call at a time, by the
/// <see cref="IBlockSource"/> contract); the consumer is the writer thread this type owns. Each side owns one
/// 64-bit monotonic index (never wraps; slot = index &amp; mask, power-of-two capacity) and keeps a cached copy of
/// the other side's index on its own cache line, so the audio thread touches the consumer's line only when the
/// ring looks full. Every block also carries its callback number, so the writer sees a dropped block as a gap.
/// The audio thread never allocates, locks, waits or makes a system call here: the writer polls (sleeping ~2 ms
/// when idle) instead of being signalled, because waking it would be a futex call on the audio thread.
/// Full policy: the audio is never held up for the recording. A block that finds the ring full is not recorded,
/// <see cref="DroppedBlocks"/> counts it, and the writer fills the gap with silence so later blocks keep their
/// time. A recording with drops is not a faithful copy, and callers must treat it as failed.
/// Empty policy: the writer finds nothing and sleeps. <see cref="Complete"/> drains every recorded block before it
/// returns. Capacity: at 256 frames / 48 kHz, 512 blocks hold 2.7 s of stalled disk writes.
/// </remarks>
public sealed partial class RecordingSource : IBlockSource, IDisposable
{
    private readonly IBlockSource _inner;
    private readonly BlockSink _sink;
    private readonly int _samples;
    private readonly long _mask;
    private readonly long _capacity;
    private readonly float[] _blocks;
    private readonly long[] _numbers;
    private Indices _indices; // Mutable struct! Don't make this readonly: both threads write their own line of it.
    private long _calls;
    private long _dropped;

    /// <summary>Records what <paramref name="inner"/> produces into <paramref name="sink"/> (called on the writer thread).</summary>
    /// <param name="inner">The source the output really plays, e.g. the engine's block reader.</param>
    /// <param name="blockSamples">Interleaved samples per block (frames × channels), as the output calls with.</param>
    /// <param name="capacityBlocks">Ring capacity in blocks; a power of two, at least 2.</param>
    /// <param name="sink">Receives each block in order, on the writer thread.</param>
    public RecordingSource(IBlockSource inner, int blockSamples, int capacityBlocks, BlockSink sink)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSamples, 1);
        if (capacityBlocks < 2 || !BitOperations.IsPow2(capacityBlocks))
        {
            throw new ArgumentException($"capacity must be a power of two >= 2, got {capacityBlocks}", nameof(capacityBlocks));
        }
        _inner = inner;
        _sink = sink;
        _samples = blockSamples;
        _mask = capacityBlocks - 1;
        _capacity = capacityBlocks;
        _blocks = new float[(long)capacityBlocks * blockSamples];
        _numbers = new long[capacityBlocks];
        _writer = new Thread(WriterLoop) { Name = "perpetuo-recorder", IsBackground = true };
        _writer.Start();
    }

    /// <summary>Blocks the output asked for.</summary>
    public long Blocks => Volatile.Read(ref _calls);

    /// <summary>Blocks the writer has handed to the sink (not counting the silence written for dropped ones).</summary>
    public long WrittenBlocks => Volatile.Read(ref _indices.Read);

    /// <summary>Blocks that found the ring full and were not recorded (the writer wrote silence in their place).</summary>
    public long DroppedBlocks => Volatile.Read(ref _dropped);

    /// <inheritdoc/>
    /// <remarks>Audio thread only. Wait-free, allocation-free.</remarks>
    public void TryFillBlock(Span<float> interleaved)
    {
        _inner.TryFillBlock(interleaved);
        TryRecord(interleaved[.._samples]);
    }

    /// <summary>Copies one played block into the ring, or counts it dropped if the ring is full.</summary>
    /// <remarks>Audio thread only. Wait-free, allocation-free.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void TryRecord(ReadOnlySpan<float> block)
    {
        long number = _calls;
        Volatile.Write(ref _calls, number + 1); // single writer; Volatile only so other threads read a current count
        long w = _indices.Write; // our own index: a plain read
        if (w - _indices.ReadCopy >= _capacity && !TryRefreshReadCopy(w))
        {
            Volatile.Write(ref _dropped, _dropped + 1);
            return;
        }
        int slot = (int)(w & _mask);
        block.CopyTo(_blocks.AsSpan(slot * _samples, _samples));
        _numbers[slot] = number;
        Volatile.Write(ref _indices.Write, w + 1); // release: the block and its number are visible before the new index
    }

    /// <summary>The ring looked full from the cached copy: read the consumer's real index once.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool TryRefreshReadCopy(long w)
    {
        // Acquire: pairs with the writer's release after its copy-out, so the slot we may now overwrite is no longer read.
        _indices.ReadCopy = Volatile.Read(ref _indices.Read);
        return w - _indices.ReadCopy < _capacity;
    }

    /// <summary>Producer and consumer lines, 128 bytes apart (false sharing on x64 pairs adjacent 64-byte lines; 128 on ARM64).</summary>
    [StructLayout(LayoutKind.Explicit, Size = 384)]
    private struct Indices
    {
        /// <summary>Next block the audio thread writes. Written by the producer only.</summary>
        [FieldOffset(128)] public long Write;

        /// <summary>The producer's cached copy of <see cref="Read"/>.</summary>
        [FieldOffset(136)] public long ReadCopy;

        /// <summary>Next block the writer takes. Written by the consumer only.</summary>
        [FieldOffset(256)] public long Read;

        /// <summary>The consumer's cached copy of <see cref="Write"/>.</summary>
        [FieldOffset(264)] public long WriteCopy;
    }
}
