using System.Buffers.Binary;

namespace Perpetuo.Audio;

/// <summary>
/// Reads a WAV file block by block (16-bit PCM or 32-bit float, any channel count): the input of
/// <c>render --input</c>. Never holds more than one block, so the file's size does not matter.
/// </summary>
/// <remarks>
/// Design: the header is read from the stream's start, chunk by chunk, and only up to <see cref="MaxHeaderBytes"/>
/// before the data chunk (a file of endless chunks, or a non-WAV file, is an error, not a long scan). A data size of
/// 0 or one past the end (a recorder killed mid-write leaves it unpatched) means "until the end of the file". After
/// the data, <see cref="Read"/> gives silence: an input shorter than the render is padded, never an error.
/// </remarks>
public sealed class WavReader : IDisposable
{
    /// <summary>Most bytes of chunks read before the data chunk.</summary>
    public const int MaxHeaderBytes = 1 << 20;

    private readonly Stream _stream;
    private readonly int _bytesPerSample;
    private readonly bool _float;
    private readonly byte[] _buffer;
    private long _remaining;

    /// <summary>Reads the header from <paramref name="stream"/>, which the reader owns from then on.</summary>
    /// <exception cref="InvalidDataException">Not a WAV file this reader can play, saying why.</exception>
    public WavReader(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
        try
        {
            (_float, _bytesPerSample, Channels, SampleRate, _remaining) = ReadHeader();
        }
        catch
        {
            stream.Dispose(); // owned from the start: a refused file is closed here
            throw;
        }
        _buffer = new byte[Channels * _bytesPerSample * 1024];
    }

    private (bool Float, int BytesPerSample, int Channels, int Rate, long Remaining) ReadHeader()
    {
        int channels = 0, rate = 0;
        long remaining;
        Span<byte> riff = stackalloc byte[12];
        if (!ReadExactly(riff) || !riff[..4].SequenceEqual("RIFF"u8) || !riff[8..12].SequenceEqual("WAVE"u8))
        {
            throw new InvalidDataException("not a RIFF/WAVE file");
        }
        long scanned = 12;
        int format = 0, bits = 0;
        Span<byte> chunk = stackalloc byte[8];
        while (true)
        {
            if (!ReadExactly(chunk))
            {
                throw new InvalidDataException("no data chunk");
            }
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(chunk[4..]);
            if (chunk[..4].SequenceEqual("data"u8))
            {
                if (channels <= 0)
                {
                    throw new InvalidDataException("data chunk before fmt chunk");
                }
                remaining = size is 0 or uint.MaxValue ? long.MaxValue : size;
                break;
            }
            scanned += 8 + size + (size & 1);
            if (scanned > MaxHeaderBytes)
            {
                throw new InvalidDataException($"no data chunk in the first {MaxHeaderBytes} bytes");
            }
            byte[] body = new byte[size + (size & 1)];
            if (!ReadExactly(body))
            {
                throw new InvalidDataException("the file ends inside a chunk");
            }
            if (chunk[..4].SequenceEqual("fmt "u8) && size >= 16)
            {
                format = BinaryPrimitives.ReadUInt16LittleEndian(body);
                channels = BinaryPrimitives.ReadUInt16LittleEndian(body.AsSpan(2));
                rate = BinaryPrimitives.ReadInt32LittleEndian(body.AsSpan(4));
                bits = BinaryPrimitives.ReadUInt16LittleEndian(body.AsSpan(14));
                if (format == 0xFFFE && size >= 40)
                {
                    format = BinaryPrimitives.ReadUInt16LittleEndian(body.AsSpan(24)); // extensible: the sub-format GUID's first bytes
                }
            }
        }
        (bool isFloat, int bytes) = (format, bits) switch
        {
            (3, 32) => (true, 4),
            (1, 16) => (false, 2),
            _ => throw new InvalidDataException($"unsupported sample format {format} with {bits} bits (16-bit PCM or 32-bit float)"),
        };
        if (channels is < 1 or > 64 || rate is < 1000 or > 768000)
        {
            throw new InvalidDataException($"{channels} channels at {rate} Hz is out of range");
        }
        return (isFloat, bytes, channels, rate, remaining);
    }

    public int Channels { get; }

    public int SampleRate { get; }

    /// <summary>Fills <paramref name="interleaved"/> with the next frames; past the end of the data, silence. Returns the frames read from the file.</summary>
    public int Read(Span<float> interleaved)
    {
        int frameBytes = Channels * _bytesPerSample;
        int wanted = interleaved.Length / Channels;
        int frames = 0;
        while (frames < wanted && _remaining >= frameBytes)
        {
            int chunkFrames = (int)Math.Min(Math.Min(wanted - frames, _buffer.Length / frameBytes), _remaining / frameBytes);
            int got = ReadUpTo(_buffer.AsSpan(0, chunkFrames * frameBytes)) / frameBytes;
            if (got == 0)
            {
                _remaining = 0; // the file ended before its header said
                break;
            }
            Decode(_buffer.AsSpan(0, got * frameBytes), interleaved.Slice(frames * Channels, got * Channels));
            frames += got;
            _remaining -= (long)got * frameBytes;
        }
        interleaved[(frames * Channels)..].Clear();
        return frames;
    }

    public void Dispose() => _stream.Dispose();

    private void Decode(ReadOnlySpan<byte> bytes, Span<float> samples)
    {
        for (int i = 0; i < samples.Length; i++)
        {
            samples[i] = _float
                ? BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * 4)..])
                : BinaryPrimitives.ReadInt16LittleEndian(bytes[(i * 2)..]) / 32768f;
        }
    }

    /// <summary>Reads whole frames only: a partial frame at the very end is dropped.</summary>
    private int ReadUpTo(Span<byte> into)
    {
        int total = 0;
        while (total < into.Length)
        {
            int n = _stream.Read(into[total..]);
            if (n == 0)
            {
                break;
            }
            total += n;
        }
        return total;
    }

    private bool ReadExactly(Span<byte> into) => ReadUpTo(into) == into.Length;
}
