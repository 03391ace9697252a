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
/// Captured input (JACK's input ports) goes the other way through a second one-block FIFO: each run of frames is
/// copied in before the output's run is pulled, and a completed block goes to the <see cref="ILiveInputSink"/> at
/// once. Runs end at both FIFOs' block boundaries, which therefore stay aligned: when the period is the block, the
/// input of a period reaches the sink before the block played in that period is pulled.
/// </remarks>
public sealed class BlockPeriodAdapter
{
    private static readonly float[] Zeros = new float[4096];

    private readonly float[] _block;
    private readonly float[] _channelRun;
    private readonly int _channels;
    private readonly int _blockFrames;
    private readonly float[] _inBlock;
    private float[] _captured = []; // one run of interleaved captured frames (PortAudio's duplex input), sized by Reset
    private IBlockSource? _source;
    private ILiveInputSink? _sink;
    private int _readFrame;
    private int _inFrame;
    private long _blocksPulled;
    private long _framesDelivered;

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
        _inBlock = new float[format.BlockSamples];
        _readFrame = _blockFrames;
    }

    /// <summary>The engine format: channel count and block size the source renders.</summary>
    public AudioFormat Format { get; }

    /// <summary>
    /// Frames handed to the device since the last <see cref="Reset"/>: the output-stream frame the next period starts
    /// at (frame 0 is block 0's first). Audio thread.
    /// </summary>
    public long FramesDelivered => _framesDelivered;

    /// <summary>Whole blocks pulled from the source since construction (not cleared by <see cref="Reset"/>). Any thread.</summary>
    public long BlocksPulled => Volatile.Read(ref _blocksPulled);

    /// <summary>
    /// Sets the source and drops any partial block. Control thread only, while no callback can run (before the
    /// backend is started or after it is stopped).
    /// </summary>
    /// <param name="captureChannels">Channels of interleaved captured input (PortAudio), to size its buffer.</param>
    public void Reset(IBlockSource? source, ILiveInputSink? sink = null, int captureChannels = 0)
    {
        _source = source;
        _sink = sink;
        if (captureChannels * _blockFrames > _captured.Length)
        {
            _captured = new float[captureChannels * _blockFrames];
        }
        _readFrame = _blockFrames;
        _inFrame = 0;
        _framesDelivered = 0;
    }

    /// <summary>Writes exactly <paramref name="frames"/> interleaved frames to <paramref name="destination"/> (PortAudio).</summary>
    /// <param name="capture">This callback's interleaved input (PortAudio's duplex input buffer), or zero.</param>
    /// <param name="captureChannels">Its channels (at most those given to <see cref="Reset"/>); mapped as in <see cref="TryReadPlanar"/>.</param>
    /// <remarks>Audio thread only. Wait-free, allocation-free.</remarks>
    public void TryReadInterleaved(IntPtr destination, int frames, IntPtr capture = default, int captureChannels = 0)
    {
        int done = 0;
        while (done < frames)
        {
            int run = Math.Min(frames - done, _blockFrames - (_readFrame == _blockFrames ? 0 : _readFrame));
            if (capture != IntPtr.Zero && captureChannels > 0 && captureChannels * _blockFrames <= _captured.Length)
            {
                run = Math.Min(run, _blockFrames - _inFrame);
                TryTakeCapturedInterleavedRun(capture, captureChannels, done, run);
            }

            if (_readFrame == _blockFrames)
            {
                TryPullBlock();
            }

            Marshal.Copy(_block, _readFrame * _channels, destination + (done * _channels * sizeof(float)), run * _channels);
            _readFrame += run;
            done += run;
        }

        _framesDelivered += frames;
    }

    /// <summary>
    /// Writes exactly <paramref name="frames"/> frames de-interleaved: channel c goes to the float buffer at
    /// <paramref name="destinations"/>[c] (JACK port buffers). <paramref name="destinations"/> has one entry per channel.
    /// </summary>
    /// <param name="captures">Input buffers of this period (JACK's input ports), or null: they become the sink's
    /// input blocks. One port is heard on every channel; otherwise port c feeds channel c and channels beyond the ports
    /// are silent.</param>
    /// <param name="captureCount">How many entries of <paramref name="captures"/> are ports.</param>
    /// <remarks>Audio thread only. Wait-free, allocation-free.</remarks>
    public void TryReadPlanar(IntPtr[] destinations, int frames, IntPtr[]? captures = null, int captureCount = 0)
    {
        int done = 0;
        while (done < frames)
        {
            int run = Math.Min(frames - done, _blockFrames - (_readFrame == _blockFrames ? 0 : _readFrame));
            if (captures != null && captureCount > 0)
            {
                run = Math.Min(run, _blockFrames - _inFrame);
                TryTakeCapturedRun(captures, captureCount, done, run);
            }

            if (_readFrame == _blockFrames)
            {
                TryPullBlock();
            }

            for (int c = 0; c < _channels; c++)
            {
                TryCopyChannelRun(c, run, destinations[c] + (done * sizeof(float)));
            }

            _readFrame += run;
            done += run;
        }

        _framesDelivered += frames;
    }

    /// <summary>Copies <paramref name="run"/> captured frames from <paramref name="offset"/> into the input block; hands a full one to the sink.</summary>
    private void TryTakeCapturedRun(IntPtr[] captures, int count, int offset, int run)
    {
        for (int c = 0; c < _channels; c++)
        {
            if (count == 1 || c < count)
            {
                Marshal.Copy(captures[count == 1 ? 0 : c] + (offset * sizeof(float)), _channelRun, 0, run);
                StoreCapturedChannel(c, _channelRun, 0, 1, run);
            }
            else
            {
                StoreSilentChannel(c, run);
            }
        }

        EndCapturedRun(run);
    }

    /// <summary>The same for interleaved input: one copy of the run, then each engine channel from its input channel.</summary>
    private void TryTakeCapturedInterleavedRun(IntPtr capture, int count, int offset, int run)
    {
        Marshal.Copy(capture + (offset * count * sizeof(float)), _captured, 0, run * count);
        for (int c = 0; c < _channels; c++)
        {
            if (count == 1 || c < count)
            {
                StoreCapturedChannel(c, _captured, count == 1 ? 0 : c, count, run);
            }
            else
            {
                StoreSilentChannel(c, run);
            }
        }

        EndCapturedRun(run);
    }

    /// <summary>Engine channel <paramref name="channel"/> of the next <paramref name="run"/> input frames, from <paramref name="source"/> at a stride.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void StoreCapturedChannel(int channel, float[] source, int first, int stride, int run)
    {
        float[] block = _inBlock;
        int dst = (_inFrame * _channels) + channel;
        for (int i = 0, src = first; i < run; i++, dst += _channels, src += stride)
        {
            block[dst] = source[src];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void StoreSilentChannel(int channel, int run)
    {
        float[] block = _inBlock;
        for (int i = 0, dst = (_inFrame * _channels) + channel; i < run; i++, dst += _channels)
        {
            block[dst] = 0f;
        }
    }

    /// <summary>Moves the input FIFO on by <paramref name="run"/> frames; a full block goes to the sink.</summary>
    private void EndCapturedRun(int run)
    {
        _inFrame += run;
        if (_inFrame == _blockFrames)
        {
            _sink?.TryPutInput(_inBlock);
            _inFrame = 0;
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
