using System.Numerics;

namespace Perpetuo.Supervisor.Callback;

// Design: one writer, the audio callback, which measures every block it hands to the output (played, or the faded
// silence of an underrun); readers on any other thread (the control thread answering /perpetuo/levels). Per channel
// it keeps the largest |sample| of the window being filled and of the last completed window, each published as
// float bits with Volatile, so a reader sees whole values without a lock and never writes anything: no reset by a
// reader, hence no second writer. A window is at least WindowFrames frames (whole blocks), so what a reader gets,
// max(last, current), covers between one and two windows back (43-85 ms at 48 kHz): a page polling every 50 ms
// misses no peak. At a window's end the last window is published before the current one is cleared, so a reader
// in between sees the old last window and the new empty one for one read: a meter that dips for one poll, never a
// peak that is invented.

/// <summary>Per-channel peak levels of what the audio callback plays, for meters.</summary>
/// <remarks><see cref="TryRecord"/>: audio thread only, wait-free, allocation-free. <see cref="Peak"/>: any thread.</remarks>
public sealed class PeakMeter
{
    /// <summary>Shortest window, in frames (whole blocks are measured: a window is rounded up to a block).</summary>
    public const int WindowFrames = 2048;

    private readonly int _channels;
    private readonly int _windowBlocks;
    private readonly float[] _current;
    private readonly int[] _currentBits;
    private readonly int[] _lastBits;
    private int _blocks;

    public PeakMeter(int channels, int blockFrames)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(blockFrames, 1);
        _channels = channels;
        _windowBlocks = Math.Max(1, (WindowFrames + blockFrames - 1) / blockFrames);
        _current = new float[channels];
        _currentBits = new int[channels];
        _lastBits = new int[channels];
        // Nothing cold on the audio thread: compiled now, on the thread that builds the reader, not in a callback.
        Perpetuo.Audio.CallbackWarmUp.Prepare(typeof(PeakMeter));
    }

    /// <summary>Channels measured.</summary>
    public int Channels => _channels;

    /// <summary>Blocks per window.</summary>
    public int WindowBlocks => _windowBlocks;

    /// <summary>Measures one interleaved block (channels × frames samples) as it leaves for the output.</summary>
    /// <remarks>Audio thread only. Wait-free, allocation-free.</remarks>
    public void TryRecord(ReadOnlySpan<float> interleaved)
    {
        if (Vector.IsHardwareAccelerated && Vector<float>.Count % _channels == 0 && interleaved.Length >= Vector<float>.Count)
        {
            MaxByLanes(interleaved);
        }
        else
        {
            MaxScalar(interleaved, 0);
        }
        for (int c = 0; c < _channels; c++)
        {
            Volatile.Write(ref _currentBits[c], BitConverter.SingleToInt32Bits(_current[c]));
        }
        if (++_blocks < _windowBlocks)
        {
            return;
        }
        _blocks = 0;
        for (int c = 0; c < _channels; c++)
        {
            Volatile.Write(ref _lastBits[c], _currentBits[c]); // the last window first: a reader never sees a peak vanish early
            _current[c] = 0;
            Volatile.Write(ref _currentBits[c], 0);
        }
    }

    /// <summary>The largest |sample| on <paramref name="channel"/> over the last one to two windows (0 before any block).</summary>
    /// <remarks>Any thread. Allocation-free.</remarks>
    public float Peak(int channel) =>
        MathF.Max(BitConverter.Int32BitsToSingle(Volatile.Read(ref _lastBits[channel])),
                  BitConverter.Int32BitsToSingle(Volatile.Read(ref _currentBits[channel])));

    // Lane l of every vector holds channel l % channels (the vector width is a multiple of the channel count), so one
    // running maximum per lane, folded by channel at the end, is every channel's peak.
    private void MaxByLanes(ReadOnlySpan<float> samples)
    {
        var acc = Vector<float>.Zero;
        int i = 0;
        for (; i + Vector<float>.Count <= samples.Length; i += Vector<float>.Count)
        {
            acc = Vector.Max(acc, Vector.Abs(new Vector<float>(samples.Slice(i, Vector<float>.Count))));
        }
        for (int lane = 0; lane < Vector<float>.Count; lane++)
        {
            int c = lane % _channels;
            _current[c] = MathF.Max(_current[c], acc[lane]);
        }
        MaxScalar(samples[i..], i);
    }

    private void MaxScalar(ReadOnlySpan<float> samples, int firstIndex)
    {
        int c = firstIndex % _channels;
        for (int i = 0; i < samples.Length; i++)
        {
            float a = MathF.Abs(samples[i]);
            if (a > _current[c])
            {
                _current[c] = a;
            }
            if (++c == _channels)
            {
                c = 0;
            }
        }
    }
}
