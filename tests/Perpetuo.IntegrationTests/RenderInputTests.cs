using Perpetuo.Audio;

namespace Perpetuo.IntegrationTests;

/// <summary><c>render --input FILE</c>: a patch rendered over a given input, which <c>input</c> modules mix in.</summary>
public sealed class RenderInputTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("perpetuo-it-");

    private string PathOf(string name) => Path.Combine(_dir.FullName, name);

    public void Dispose() => _dir.Delete(recursive: true);

    private float[] WriteInput(string name, int rate, int channels, int frames)
    {
        var samples = new float[frames * channels];
        for (int i = 0; i < samples.Length; i++)
        {
            samples[i] = 0.2f * MathF.Sin(i * 0.01f) * ((i % channels) == 0 ? 1f : -0.5f);
        }
        using (var w = new WavWriter(PathOf(name), rate, channels))
        {
            w.Write(samples);
        }
        return samples;
    }

    [Fact]
    public void AnInputThroughAGainIsTheInputTimesTheGainThenSilenceAfterTheFileEnds()
    {
        float[] input = WriteInput("in.wav", 48000, 2, 30_000); // 0.625 s, not a whole number of blocks
        File.WriteAllText(PathOf("p.json"), """{"modules":[{"type":"input","id":"in"},{"type":"gain","id":"g","params":{"gain":0.5}}]}""");

        var r = Perpetuo.Run(_dir.FullName, TimeSpan.FromSeconds(60), "render", "--seconds", "1", "--patch", "p.json",
                             "--input", "in.wav", "--no-limiter", "--out", "out.wav");

        Assert.True(r.Code == 0, r.Stderr);
        float[] output = WavFile.Read(PathOf("out.wav")).Samples;
        Assert.Equal(48000 * 2, output.Length);
        for (int i = 0; i < input.Length; i++)
        {
            Assert.True(output[i] == input[i] * 0.5f, $"sample {i}: {output[i]} != {input[i] * 0.5f}");
        }
        Assert.All(output[input.Length..], s => Assert.Equal(0f, s));
    }

    [Fact]
    public void WithoutTheInputModuleTheInputIsNotHeardAndWithoutInputTheModuleIsSilent()
    {
        WriteInput("in.wav", 48000, 2, 4800);
        File.WriteAllText(PathOf("gain.json"), """{"modules":[{"type":"gain","id":"g"}]}""");
        File.WriteAllText(PathOf("input.json"), """{"modules":[{"type":"input","id":"in"}]}""");

        Assert.Equal(0, Perpetuo.Run(_dir.FullName, TimeSpan.FromSeconds(60), "render", "--seconds", "0.1", "--patch", "gain.json",
                                     "--input", "in.wav", "--out", "a.wav").Code);
        Assert.Equal(0, Perpetuo.Run(_dir.FullName, TimeSpan.FromSeconds(60), "render", "--seconds", "0.1", "--patch", "input.json",
                                     "--out", "b.wav").Code);

        Assert.All(WavFile.Read(PathOf("a.wav")).Samples, s => Assert.Equal(0f, s));
        Assert.All(WavFile.Read(PathOf("b.wav")).Samples, s => Assert.Equal(0f, s));
    }

    [Theory]
    [InlineData(44100, 2, "2 channels at 44100 Hz, but the engine runs 2 channels at 48000 Hz")]
    [InlineData(48000, 3, "3 channels at 48000 Hz, but the engine runs 2 channels at 48000 Hz")]
    public void AnInputOfAnotherRateOrChannelCountIsOneErrorLineNamingBoth(int rate, int channels, string expected)
    {
        WriteInput("in.wav", rate, channels, 1000);

        var r = Perpetuo.Run(_dir.FullName, TimeSpan.FromSeconds(60), "render", "--seconds", "0.1", "--input", "in.wav", "--out", "out.wav");

        Assert.Equal(2, r.Code);
        Assert.Contains(expected, r.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(PathOf("out.wav")));
    }

    [Fact]
    public void AMonoInputIsHeardOnEveryChannelOfTheRender()
    {
        float[] mono = WriteInput("mono.wav", 48000, 1, 2000);
        File.WriteAllText(PathOf("p.json"), """{"modules":[{"type":"input","id":"in"}]}""");

        var r = Perpetuo.Run(_dir.FullName, TimeSpan.FromSeconds(60), "render", "--seconds", "0.1", "--patch", "p.json", "--input", "mono.wav",
                             "--no-limiter", "--out", "out.wav");

        Assert.True(r.Code == 0, r.Stderr);
        float[] output = WavFile.Read(PathOf("out.wav")).Samples;
        for (int f = 0; f < mono.Length; f++)
        {
            Assert.Equal(mono[f], output[2 * f]);
            Assert.Equal(mono[f], output[(2 * f) + 1]);
        }
    }
}
