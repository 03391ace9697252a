namespace Perpetuo.Audio.Tests;

/// <summary><c>play --input wav:FILE</c>'s feeder: the file's blocks, in order, one before each block played.</summary>
public sealed class FileInputSourceTests : IDisposable
{
    private readonly string _path = Path.GetTempFileName();
    private static readonly AudioFormat Format = new(48000, 2, 64);

    public void Dispose() => File.Delete(_path);

    private sealed class Recorder : IBlockSource, ILiveInputSink
    {
        public List<float[]> Inputs { get; } = [];
        public int Fills { get; private set; }

        public void TryPutInput(ReadOnlySpan<float> interleaved) => Inputs.Add(interleaved.ToArray());

        public void TryFillBlock(Span<float> interleaved)
        {
            Assert.Equal(Fills + 1, Inputs.Count); // the input of a period arrives before its block is asked for
            Fills++;
        }
    }

    private WavInput Open(int channels, float[] samples)
    {
        using (var w = new WavWriter(_path, 48000, channels))
        {
            w.Write(samples);
        }
        return new WavInput(new WavReader(File.OpenRead(_path)), Format.Channels, Format.BlockFrames);
    }

    [Fact]
    public void EachBlockOfTheFileGoesToTheSinkBeforeItsBlockThenSilenceWithoutAnUnderrun()
    {
        float[] samples = Enumerable.Range(0, (64 * 20) + 10).SelectMany(f => new[] { f * 1f, -f * 1f }).ToArray(); // 20 blocks and a bit
        var sink = new Recorder();
        using (var source = new FileInputSource(sink, sink, Open(2, samples), Format))
        {
            var output = new float[Format.BlockSamples];
            for (int b = 0; b < 30; b++)
            {
                source.TryFillBlock(output);
            }
            Assert.Equal(0, source.Underruns);
            Assert.Null(source.Error);
        }
        Assert.Equal(30, sink.Inputs.Count);
        float[] heard = sink.Inputs.SelectMany(b => b).ToArray();
        Assert.Equal(samples, heard[..samples.Length]);
        Assert.All(heard[samples.Length..], s => Assert.Equal(0f, s));
    }

    [Fact]
    public void AMonoFileIsHeardOnEveryChannel()
    {
        using WavInput input = Open(1, [0.5f, -0.25f, 0.125f]);
        var block = new float[Format.BlockSamples];
        Assert.Equal(3, input.Read(block));
        Assert.Equal(new[] { 0.5f, 0.5f, -0.25f, -0.25f, 0.125f, 0.125f, 0f, 0f }, block[..8]);
    }

    [Fact]
    public void AFileOfAnotherChannelCountIsRefused()
    {
        using (var w = new WavWriter(_path, 48000, 3))
        {
            w.Write(new float[30]);
        }
        Assert.Throws<ArgumentException>(() => new WavInput(new WavReader(File.OpenRead(_path)), 2, 64));
        Assert.True(WavInput.Fits(1, 6));
        Assert.False(WavInput.Fits(2, 6));
    }
}
