namespace Perpetuo.Audio;

/// <summary>
/// Plays a WAV file as the live input (<c>play --input wav:FILE</c>), paced by the output: before each block the
/// output asks for, the next block of the file goes to the engine's <see cref="ILiveInputSink"/>, as a sound card's
/// captured period would.
/// </summary>
/// <remarks>
/// Design: the audio thread never touches the file. A feeder thread reads it ahead into a single-producer,
/// single-consumer ring of whole blocks (dotnet/runtime's SPSC queue shape: each side owns one index), and the
/// callback takes one block per call. Empty ring policy: the callback hands silence and counts an input underrun
/// (a disk slower than the audio), and the engine journals the silence it really got, so the session still
/// re-renders as played. After the file's end the input is silence, not an underrun. Wait-free and
/// allocation-free on the audio thread.
/// </remarks>
public sealed class FileInputSource : IBlockSource, IDisposable
{
    private readonly IBlockSource _output;
    private readonly ILiveInputSink _sink;
    private readonly WavInput _file;
    private readonly float[] _ring;
    private readonly float[] _silence;
    private readonly int _samples;
    private readonly int _mask;
    private readonly Thread _feeder;
    private long _head; // next block the callback takes (the callback's)
    private long _tail; // next block the feeder writes (the feeder's)
    private long _underruns;
    private volatile bool _ended;
    private volatile bool _stop;
    private string? _error;

    /// <param name="output">What the output plays (the engine's block reader).</param>
    /// <param name="sink">Where the input goes (the same reader, as a sink).</param>
    /// <param name="file">The file, at the engine's rate and channels (owned from then on).</param>
    /// <param name="format">The engine's format.</param>
    public FileInputSource(IBlockSource output, ILiveInputSink sink, WavInput file, AudioFormat format)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(file);
        _output = output;
        _sink = sink;
        _file = file;
        _samples = format.BlockSamples;
        // Half a second of blocks ahead (a power of two, at least 8): a disk stall shorter than that is never heard.
        int blocks = (int)Math.Max(8, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, format.SampleRate / 2 / format.BlockFrames)));
        _ring = new float[blocks * _samples];
        _silence = new float[_samples];
        _mask = blocks - 1;
        while (Volatile.Read(ref _tail) <= _mask && !_ended)
        {
            FeedOne(); // full before the first callback
        }
        _feeder = new Thread(Feed) { Name = "perpetuo-input-file", IsBackground = true };
        _feeder.Start();
    }

    /// <summary>Callbacks that found no block of the file ready (silence was used). Any thread.</summary>
    public long Underruns => Volatile.Read(ref _underruns);

    /// <summary>Why reading the file stopped early, if it did (then the input is silence from there).</summary>
    public string? Error => Volatile.Read(ref _error);

    /// <inheritdoc/>
    /// <remarks>Audio thread only. Wait-free, allocation-free.</remarks>
    public void TryFillBlock(Span<float> interleaved)
    {
        long head = _head;
        // Acquire: the feeder wrote the block before it published the new tail.
        if (head < Volatile.Read(ref _tail))
        {
            _sink.TryPutInput(_ring.AsSpan((int)(head & _mask) * _samples, _samples));
            Volatile.Write(ref _head, head + 1); // release: our copy is done before the feeder may reuse the slot
        }
        else
        {
            if (!_ended)
            {
                Volatile.Write(ref _underruns, _underruns + 1);
            }
            _sink.TryPutInput(_silence);
        }
        _output.TryFillBlock(interleaved);
    }

    private void Feed()
    {
        while (!_stop && !_ended)
        {
            if (Volatile.Read(ref _tail) - Volatile.Read(ref _head) > _mask)
            {
                Thread.Sleep(2); // full: half a second ahead
                continue;
            }
            FeedOne();
        }
    }

    private void FeedOne()
    {
        long tail = _tail;
        try
        {
            if (_file.Read(_ring.AsSpan((int)(tail & _mask) * _samples, _samples)) == 0)
            {
                _ended = true;
                return;
            }
        }
        catch (IOException e)
        {
            Volatile.Write(ref _error, e.Message);
            _ended = true;
            return;
        }
        Volatile.Write(ref _tail, tail + 1); // release: the block is written before the callback can take it
    }

    /// <summary>Stops the feeder and closes the file. After the output stopped calling.</summary>
    public void Dispose()
    {
        _stop = true;
        _feeder.Join();
        _file.Dispose();
    }
}
