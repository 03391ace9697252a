using System.Buffers.Binary;

namespace Perpetuo.Audio;

/// <summary>A WAV file read whole: format and interleaved float samples (16-bit PCM and 32-bit float are accepted).</summary>
public sealed record WavFile(int SampleRate, int Channels, float[] Samples)
{
    /// <summary>Frames in the file.</summary>
    public long Frames => Samples.Length / Channels;

    /// <summary>Reads a WAV file; throws <see cref="InvalidDataException"/> naming what is wrong.</summary>
    public static WavFile Read(string path)
    {
        byte[] b = File.ReadAllBytes(path);
        if (b.Length < 12 || !b.AsSpan(0, 4).SequenceEqual("RIFF"u8) || !b.AsSpan(8, 4).SequenceEqual("WAVE"u8))
        {
            throw new InvalidDataException($"{path}: not a RIFF/WAVE file");
        }
        int pos = 12, channels = 0, rate = 0, format = 0, bits = 0;
        while (pos + 8 <= b.Length)
        {
            ReadOnlySpan<byte> id = b.AsSpan(pos, 4);
            int size = BinaryPrimitives.ReadInt32LittleEndian(b.AsSpan(pos + 4));
            int body = pos + 8;
            if (size < 0 || (long)body + size > b.Length)
            {
                size = b.Length - body; // a recorder killed mid-write leaves the size unpatched: take what is there
            }
            if (id.SequenceEqual("fmt "u8) && size >= 16)
            {
                format = BinaryPrimitives.ReadInt16LittleEndian(b.AsSpan(body));
                channels = BinaryPrimitives.ReadInt16LittleEndian(b.AsSpan(body + 2));
                rate = BinaryPrimitives.ReadInt32LittleEndian(b.AsSpan(body + 4));
                bits = BinaryPrimitives.ReadInt16LittleEndian(b.AsSpan(body + 14));
                if (format == 0xFFFE && size >= 40)
                {
                    format = BinaryPrimitives.ReadInt16LittleEndian(b.AsSpan(body + 24)); // extensible: sub-format GUID
                }
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (channels <= 0)
                {
                    throw new InvalidDataException($"{path}: data chunk before fmt chunk");
                }
                return new WavFile(rate, channels, Decode(b.AsSpan(body, size), format, bits, path));
            }
            pos = body + size + (size & 1);
        }
        throw new InvalidDataException($"{path}: no data chunk");
    }

    private static float[] Decode(ReadOnlySpan<byte> data, int format, int bits, string path)
    {
        if (format == 3 && bits == 32)
        {
            var f = new float[data.Length / 4];
            for (int i = 0; i < f.Length; i++)
            {
                f[i] = BinaryPrimitives.ReadSingleLittleEndian(data[(i * 4)..]);
            }
            return f;
        }
        if (format == 1 && bits == 16)
        {
            var f = new float[data.Length / 2];
            for (int i = 0; i < f.Length; i++)
            {
                f[i] = BinaryPrimitives.ReadInt16LittleEndian(data[(i * 2)..]) / 32768f;
            }
            return f;
        }
        throw new InvalidDataException($"{path}: unsupported WAV encoding (format {format}, {bits} bits)");
    }
}
