using Perpetuo.Supervisor.Callback;

namespace Perpetuo.Supervisor.Tests.Callback;

public sealed class PeakMeterTests
{
    [Theory]
    [InlineData(1, 256)]
    [InlineData(2, 256)]
    [InlineData(2, 100)] // a block whose samples are not a whole number of vectors
    [InlineData(3, 64)]  // a channel count that does not divide the vector width: the scalar path
    [InlineData(8, 16)]
    [InlineData(64, 32)]
    public void EachChannelsPeakIsItsLargestMagnitude(int channels, int frames)
    {
        var meter = new PeakMeter(channels, frames);
        var random = new Random(channels * 1000 + frames);
        var block = new float[channels * frames];
        var expected = new float[channels];
        for (int i = 0; i < block.Length; i++)
        {
            block[i] = (float)(random.NextDouble() * 2 - 1) * (1 + (i % channels)) / channels;
            expected[i % channels] = MathF.Max(expected[i % channels], MathF.Abs(block[i]));
        }
        meter.TryRecord(block);
        Assert.Equal(expected, Enumerable.Range(0, channels).Select(meter.Peak));
    }

    [Fact]
    public void APeakStaysForAtLeastOneWindowAndIsGoneAfterTwo()
    {
        const int frames = 256;
        var meter = new PeakMeter(2, frames);
        Assert.Equal(PeakMeter.WindowFrames / frames, meter.WindowBlocks);
        float[] loud = [.. Enumerable.Repeat(0.8f, 2 * frames)];
        float[] quiet = new float[2 * frames];
        meter.TryRecord(loud); // the first block of a window
        for (int b = 1; b < 2 * meter.WindowBlocks - 1; b++)
        {
            meter.TryRecord(quiet);
            Assert.Equal(0.8f, meter.Peak(0)); // still within the last two windows
        }
        meter.TryRecord(quiet); // the second window is complete: the loud block is two windows old
        Assert.Equal(0f, meter.Peak(0));
    }

    [Fact]
    public void TheWindowIsAtLeastWindowFramesInWholeBlocks()
    {
        Assert.Equal(1, new PeakMeter(2, 8192).WindowBlocks);
        Assert.Equal(1, new PeakMeter(2, PeakMeter.WindowFrames).WindowBlocks);
        Assert.Equal(2, new PeakMeter(2, PeakMeter.WindowFrames - 1).WindowBlocks);
        Assert.Equal(PeakMeter.WindowFrames / 64, new PeakMeter(2, 64).WindowBlocks);
    }

    [Fact]
    public void TheReaderMetersWhatItPlaysAndTheSilenceOfAnUnderrun()
    {
        using var rings = new RingPair();
        rings.Write(0, 0, offset: 0.5f);
        float[] played = rings.Play();
        Assert.Equal(played.Where((_, i) => i % 2 == 0).Max(MathF.Abs), rings.Reader.Peaks.Peak(0));
        Assert.Equal(played.Where((_, i) => i % 2 == 1).Max(MathF.Abs), rings.Reader.Peaks.Peak(1));
        for (int b = 0; b < 2 * rings.Reader.Peaks.WindowBlocks; b++)
        {
            rings.Play(); // nobody has the blocks: faded silence
        }
        Assert.Equal((0f, 0f), (rings.Reader.Peaks.Peak(0), rings.Reader.Peaks.Peak(1)));
    }
}
