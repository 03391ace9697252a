namespace Perpetuo.Audio;

/// <summary>
/// A WAV file read as the engine's live input, one engine block at a time: a file of the engine's channel count is
/// read as it is, a mono file is heard on every channel (a microphone into a stereo chain). Silence after its end.
/// </summary>
/// <remarks>Decision: no other channel mapping and no resampling; anything else is refused when opened.</remarks>
public sealed class WavInput : IDisposable
{
    private readonly WavReader _reader;
    private readonly float[] _mono;

    /// <summary>Takes <paramref name="reader"/> (owned from then on) for an engine of <paramref name="channels"/>.</summary>
    /// <exception cref="ArgumentException">The file's channels do not fit (<see cref="Fits"/>).</exception>
    public WavInput(WavReader reader, int channels, int blockFrames)
    {
        ArgumentNullException.ThrowIfNull(reader);
        if (!Fits(reader.Channels, channels))
        {
            reader.Dispose();
            throw new ArgumentException($"{reader.Channels} channels cannot feed {channels} (the same count, or mono)");
        }
        _reader = reader;
        Channels = channels;
        _mono = reader.Channels == 1 && channels > 1 ? new float[blockFrames] : [];
    }

    /// <summary>True when a file of <paramref name="fileChannels"/> can feed an engine of <paramref name="channels"/>.</summary>
    public static bool Fits(int fileChannels, int channels) => fileChannels == channels || fileChannels == 1;

    /// <summary>The engine's channels.</summary>
    public int Channels { get; }

    /// <summary>The file's sample rate.</summary>
    public int SampleRate => _reader.SampleRate;

    /// <summary>Fills one engine block (frames x <see cref="Channels"/>); silence past the file's end. Returns the frames read from the file.</summary>
    public int Read(Span<float> block)
    {
        if (_mono.Length == 0)
        {
            return _reader.Read(block);
        }
        int frames = block.Length / Channels;
        Span<float> mono = _mono.AsSpan(0, frames);
        int read = _reader.Read(mono);
        for (int f = 0; f < frames; f++)
        {
            block.Slice(f * Channels, Channels).Fill(mono[f]);
        }
        return read;
    }

    public void Dispose() => _reader.Dispose();
}
