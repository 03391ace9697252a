using System.Buffers.Binary;

namespace Perpetuo.Audio.Tests;

/// <summary>The streaming WAV reader behind <c>render --input</c>: the formats it plays, and what it refuses.</summary>
public sealed class WavReaderTests
{
    private static byte[] Wav(int format, int bits, int channels, int rate, byte[] data, uint? dataSize = null, byte[]? extraChunk = null)
    {
        var ms = new MemoryStream();
        var w = new BinaryWriter(ms);
        w.Write("RIFF"u8);
        w.Write(0); // never read
        w.Write("WAVE"u8);
        if (extraChunk != null)
        {
            w.Write("LIST"u8);
            w.Write(extraChunk.Length);
            w.Write(extraChunk);
            if ((extraChunk.Length & 1) != 0)
            {
                w.Write((byte)0); // RIFF pads a chunk to an even length
            }
        }
        w.Write("fmt "u8);
        w.Write(16);
        w.Write((short)format);
        w.Write((short)channels);
        w.Write(rate);
        w.Write(rate * channels * bits / 8);
        w.Write((short)(channels * bits / 8));
        w.Write((short)bits);
        w.Write("data"u8);
        w.Write(dataSize ?? (uint)data.Length);
        w.Write(data);
        return ms.ToArray();
    }

    private static byte[] Pcm16(params short[] samples)
    {
        var b = new byte[samples.Length * 2];
        for (int i = 0; i < samples.Length; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(b.AsSpan(i * 2), samples[i]);
        }
        return b;
    }

    [Fact]
    public void SixteenBitPcmIsReadAsFloatsAndPaddedWithSilenceAfterItsEnd()
    {
        using var r = new WavReader(new MemoryStream(Wav(1, 16, 2, 44100, Pcm16(16384, -16384, 32767, -32768, 0, 8192))));
        Assert.Equal((2, 44100), (r.Channels, r.SampleRate));
        var block = new float[8];
        block.AsSpan().Fill(9f);

        Assert.Equal(3, r.Read(block));

        Assert.Equal([0.5f, -0.5f, 32767 / 32768f, -1f, 0f, 0.25f, 0f, 0f], block);
        Assert.Equal(0, r.Read(block));
        Assert.All(block, s => Assert.Equal(0f, s));
    }

    [Fact]
    public void FloatFilesWrittenByTheEngineAreReadBackBitForBitAcrossBlocks()
    {
        string path = Path.GetTempFileName();
        try
        {
            var samples = Enumerable.Range(0, 2 * 3000).Select(i => MathF.Sin(i * 0.37f) * 0.9f).ToArray();
            using (var w = new WavWriter(path, 48000, 2))
            {
                w.Write(samples);
            }
            using var r = new WavReader(File.OpenRead(path));
            var all = new List<float>();
            var block = new float[2 * 256];
            int frames;
            while ((frames = r.Read(block)) > 0)
            {
                all.AddRange(block[..(frames * 2)]);
            }
            Assert.Equal(samples, all);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void AnUnpatchedDataSizeMeansUntilTheEndOfTheFileAndOtherChunksAreSkipped()
    {
        using var r = new WavReader(new MemoryStream(Wav(1, 16, 1, 48000, Pcm16(100, 200, 300), dataSize: 0, extraChunk: new byte[33])));
        var block = new float[4];
        Assert.Equal(3, r.Read(block));
        Assert.Equal(300 / 32768f, block[2]);
    }

    [Theory]
    [InlineData(1, 24, "unsupported sample format 1 with 24 bits")]
    [InlineData(3, 64, "unsupported sample format 3 with 64 bits")]
    public void AFormatItCannotPlayIsRefusedNamingIt(int format, int bits, string expected)
    {
        var e = Assert.Throws<InvalidDataException>(() => new WavReader(new MemoryStream(Wav(format, bits, 2, 48000, new byte[48]))));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NotAWavOrChunksWithoutEndAreRefusedAfterABoundedRead()
    {
        Assert.Contains("not a RIFF/WAVE", Assert.Throws<InvalidDataException>(() => new WavReader(new MemoryStream(new byte[4096]))).Message,
                        StringComparison.Ordinal);
        var endless = new UndisposedStream(); // the reader closes a refused file; its position is the evidence here
        endless.Write("RIFF\0\0\0\0WAVE"u8);
        for (int i = 0; i < 20_000; i++)
        {
            endless.Write("junk"u8);
            endless.Write(BitConverter.GetBytes(100));
            endless.Write(new byte[100]);
        }
        endless.Position = 0;
        var e = Assert.Throws<InvalidDataException>(() => new WavReader(endless));
        Assert.Contains("no data chunk in the first", e.Message, StringComparison.Ordinal);
        Assert.True(endless.Position <= WavReader.MaxHeaderBytes + 200, $"read {endless.Position} bytes");
    }

    private sealed class UndisposedStream : MemoryStream
    {
        protected override void Dispose(bool disposing)
        {
        }
    }
}
