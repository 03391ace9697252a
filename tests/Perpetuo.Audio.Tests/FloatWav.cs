using System.Buffers.Binary;

namespace Perpetuo.Audio.Tests;

/// <summary>Reads a 32-bit float WAV (plain or WAVE_FORMAT_EXTENSIBLE, any extra chunks) as written by jack_capture.</summary>
internal sealed record FloatWav(int SampleRate, int Channels, float[] Samples)
{
    public int Frames => Samples.Length / Channels;

    public static FloatWav Read(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length >= 12 && bytes.AsSpan(0, 4).SequenceEqual("RIFF"u8) && bytes.AsSpan(8, 4).SequenceEqual("WAVE"u8), $"{path} is not a WAV file");
        int rate = 0, channels = 0;
        int pos = 12;
        while (pos + 8 <= bytes.Length)
        {
            ReadOnlySpan<byte> id = bytes.AsSpan(pos, 4);
            int size = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(pos + 4));
            ReadOnlySpan<byte> body = bytes.AsSpan(pos + 8, Math.Min(size, bytes.Length - pos - 8));
            if (id.SequenceEqual("fmt "u8))
            {
                int tag = BinaryPrimitives.ReadUInt16LittleEndian(body);
                channels = BinaryPrimitives.ReadUInt16LittleEndian(body[2..]);
                rate = BinaryPrimitives.ReadInt32LittleEndian(body[4..]);
                int bits = BinaryPrimitives.ReadUInt16LittleEndian(body[14..]);
                if (tag == 0xFFFE)
                {
                    tag = BinaryPrimitives.ReadUInt16LittleEndian(body[24..]);
                }

                Assert.True(tag == 3 && bits == 32, $"expected 32-bit float WAV, got format {tag} with {bits} bits");
            }
            else if (id.SequenceEqual("data"u8))
            {
                Assert.True(channels > 0, "data chunk before fmt chunk");
                var samples = new float[body.Length / 4];
                for (int i = 0; i < samples.Length; i++)
                {
                    samples[i] = BinaryPrimitives.ReadSingleLittleEndian(body[(i * 4)..]);
                }

                return new FloatWav(rate, channels, samples);
            }

            pos += 8 + size + (size & 1);
        }

        throw new InvalidDataException($"{path} has no data chunk");
    }
}
