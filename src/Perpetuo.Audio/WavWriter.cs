using System.Buffers.Binary;

namespace Perpetuo.Audio;

/// <summary>Writes 32-bit float WAV (WAVE_FORMAT_IEEE_FLOAT). Sizes are patched in on dispose. Not for the audio thread.</summary>
public sealed class WavWriter : IDisposable
{
    private const int HeaderBytes = 44;
    private readonly FileStream _stream;
    private readonly int _channels;
    private readonly byte[] _scratch = new byte[64 * 1024];
    private long _frames;

    public WavWriter(string path, int sampleRate, int channels)
    {
        _channels = channels;
        _stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);
        WriteHeader(sampleRate, channels, 0);
        SampleRate = sampleRate;
    }

    public int SampleRate { get; }

    /// <summary>Frames written so far.</summary>
    public long Frames => _frames;

    /// <summary>Appends interleaved samples (a whole number of frames).</summary>
    public void Write(ReadOnlySpan<float> interleaved)
    {
        while (!interleaved.IsEmpty)
        {
            int n = Math.Min(interleaved.Length, _scratch.Length / 4);
            for (int i = 0; i < n; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(_scratch.AsSpan(i * 4), interleaved[i]);
            }
            _stream.Write(_scratch, 0, n * 4);
            interleaved = interleaved[n..];
            _frames += n / _channels;
        }
    }

    /// <summary>Hands what is buffered to the operating system, so another process reading the file sees it.</summary>
    public void Flush() => _stream.Flush();

    public void Dispose()
    {
        long dataBytes = _frames * _channels * 4;
        _stream.Position = 0;
        WriteHeader(SampleRate, _channels, dataBytes);
        _stream.Dispose();
    }

    private void WriteHeader(int rate, int channels, long dataBytes)
    {
        Span<byte> h = stackalloc byte[HeaderBytes];
        "RIFF"u8.CopyTo(h);
        BinaryPrimitives.WriteUInt32LittleEndian(h[4..], (uint)Math.Min(uint.MaxValue, 36 + dataBytes));
        "WAVEfmt "u8.CopyTo(h[8..]);
        BinaryPrimitives.WriteInt32LittleEndian(h[16..], 16);
        BinaryPrimitives.WriteInt16LittleEndian(h[20..], 3); // IEEE float
        BinaryPrimitives.WriteInt16LittleEndian(h[22..], (short)channels);
        BinaryPrimitives.WriteInt32LittleEndian(h[24..], rate);
        BinaryPrimitives.WriteInt32LittleEndian(h[28..], rate * channels * 4);
        BinaryPrimitives.WriteInt16LittleEndian(h[32..], (short)(channels * 4));
        BinaryPrimitives.WriteInt16LittleEndian(h[34..], 32);
        "data"u8.CopyTo(h[36..]);
        BinaryPrimitives.WriteUInt32LittleEndian(h[40..], (uint)Math.Min(uint.MaxValue, dataBytes));
        _stream.Write(h);
    }
}
