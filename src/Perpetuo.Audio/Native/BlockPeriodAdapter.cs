using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Perpetuo.Audio.Native;

/// <summary>
/// Turns the engine's fixed-size blocks into whatever number of frames a device callback asks for: JACK's period
/// (128, 256, 1024, ...), PortAudio's buffer, or a size that changes from one callback to the next.
/// </summary>
/// <remarks>
/// Design: a one-block FIFO. <c>_block</c> holds the current engine block (interleaved) and <c>_readFrame</c> the
/// first frame not yet handed to the device. A callback for N frames copies the rest of the current block, pulls
/// the next whole block from the <see cref="IBlockSource"/> when it runs dry, and goes on until exactly N frames are
/// written. So a 256-frame block under a 128-frame period is pulled every second callback; under a 1024-frame
/// period four blocks are pulled per callback; 256 under 100 splits blocks across callbacks. The source always sees
/// whole blocks in order and the device always gets exactly the frames it asked for, with no gap and no repeat.
/// Added latency is under one block. Everything is preallocated in the constructor: the audio-thread members copy
/// with <see cref="Marshal.Copy(float[], int, IntPtr, int)"/> (a memmove) and never allocate, lock or call the OS.
/// Single audio thread: one callback at a time (JACK and PortAudio both guarantee that), so no fences are needed
/// between callbacks; <see cref="BlocksPulled"/> is published with <see cref="Volatile"/> for the control thread.
/// </remarks>
public sealed class BlockPeriodAdapter
{
    private static readonly float[] Zeros = new float[4096];

    private readonly float[] _block;
    private readonly float[] _channelRun;
    private readonly int _channels;
    private readonly int _blockFrames;
    private IBlockSource? _source;
    private int _readFrame;
    private long _blocksPulled;

    /// <summary>Allocates the block buffer for <paramref name="format"/>. Control thread only.</summary>
    public BlockPeriodAdapter(AudioFormat format)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(format.Channels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(format.BlockFrames, 1);
        Format = format;
        _channels = format.Channels;
        _blockFrames = format.BlockFrames;
        _block = new float[format.BlockSamples];
        _channelRun = new float[format.BlockFrames];
        _readFrame = _blockFrames;
    }

    /// <summary>The engine format: channel count and block size the source renders.</summary>
    public AudioFormat Format { get; }

    /// <summary>Whole blocks pulled from the source since construction (not cleared by <see cref="Reset"/>). Any thread.</summary>
    public long BlocksPulled => Volatile.Read(ref _blocksPulled);

    /// <summary>
    /// Sets the source and drops any partial block. Control thread only, while no callback can run (before the
    /// backend is started or after it is stopped).
    /// </summary>
    public void Reset(IBlockSource? source)
    {
        _source = source;
        _readFrame = _blockFrames;
    }

    /// <summary>Writes exactly <paramref name="frames"/> interleaved frames to <paramref name="destination"/> (PortAudio).</summary>
    /// <remarks>Audio thread only. Wait-free, allocation-free.</remarks>
    public void TryReadInterleaved(IntPtr destination, int frames)
    {
        int done = 0;
        while (done < frames)
        {
            if (_readFrame == _blockFrames)
            {
                TryPullBlock();
            }

            int run = Math.Min(frames - done, _blockFrames - _readFrame);
            Marshal.Copy(_block, _readFrame * _channels, destination + (done * _channels * sizeof(float)), run * _channels);
            _readFrame += run;
            done += run;
        }
    }

    /// <summary>
    /// Writes exactly <paramref name="frames"/> frames de-interleaved: channel c goes to the float buffer at
    /// <paramref name="destinations"/>[c] (JACK port buffers). <paramref name="destinations"/> has one entry per channel.
    /// </summary>
    /// <remarks>Audio thread only. Wait-free, allocation-free.</remarks>
    public void TryReadPlanar(IntPtr[] destinations, int frames)
    {
        int done = 0;
        while (done < frames)
        {
            if (_readFrame == _blockFrames)
            {
                TryPullBlock();
            }

            int run = Math.Min(frames - done, _blockFrames - _readFrame);
            for (int c = 0; c < _channels; c++)
            {
                TryCopyChannelRun(c, run, destinations[c] + (done * sizeof(float)));
            }

            _readFrame += run;
            done += run;
        }
    }

    /// <summary>Writes <paramref name="samples"/> zero floats to <paramref name="destination"/>.</summary>
    /// <remarks>Audio thread only. Wait-free, allocation-free.</remarks>
    public static void TryWriteSilence(IntPtr destination, int samples)
    {
        int done = 0;
        while (done < samples)
        {
            int run = Math.Min(samples - done, Zeros.Length);
            Marshal.Copy(Zeros, 0, destination + (done * sizeof(float)), run);
            done += run;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void TryCopyChannelRun(int channel, int run, IntPtr destination)
    {
        float[] block = _block;
        float[] channelRun = _channelRun;
        int src = (_readFrame * _channels) + channel;
        for (int i = 0; i < run; i++, src += _channels)
        {
            channelRun[i] = block[src];
        }

        Marshal.Copy(channelRun, 0, destination, run);
    }

    private void TryPullBlock()
    {
        IBlockSource? source = _source;
        if (source is null)
        {
            Array.Clear(_block);
        }
        else
        {
            source.TryFillBlock(_block);
        }

        _readFrame = 0;
        // Own counter, single writer: plain read, Volatile.Write so the control thread sees a whole value.
        Volatile.Write(ref _blocksPulled, _blocksPulled + 1);
    }
}
