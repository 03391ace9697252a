namespace Perpetuo.Dsp.Tests;

public sealed class DefaultPatchTests
{
    [Fact]
    public void DefaultPatchIsDeterministicAcrossTwoHosts()
    {
        float[] a = Render.Blocks(DefaultPatch.CreateHost(Render.Rate, 2, 256), 400, 256);
        float[] b = Render.Blocks(DefaultPatch.CreateHost(Render.Rate, 2, 256), 400, 256);

        Assert.Equal(-1, Render.FirstDifference(a, b));
    }

    [Theory]
    [InlineData(44100, 2)]
    [InlineData(48000, 2)]
    [InlineData(96000, 1)]
    public void DefaultPatchMakesSoundWithRmsBetween005And03(int rate, int channels)
    {
        float[] x = Render.Blocks(DefaultPatch.CreateHost(rate, channels, 512), rate * 8 / 512, 512);

        double rms = Render.Rms(x);
        Assert.InRange(rms, 0.05, 0.3);
        Assert.True(x.Max(MathF.Abs) < 1f, "default patch clips");
        Assert.All(Enumerable.Range(0, 16), s => Assert.True(Render.Rms(x.AsSpan(s * x.Length / 16, x.Length / 16)) > 0.005, $"silent slice {s}"));
    }

    [Fact]
    public void OutputDoesNotDependOnBlockSize()
    {
        float[] a = Render.Blocks(DefaultPatch.CreateHost(Render.Rate, 2, 512), 100, 512);
        float[] b = Render.Blocks(DefaultPatch.CreateHost(Render.Rate, 2, 512), 800, 64);
        var host = DefaultPatch.CreateHost(Render.Rate, 2, 512);
        var c = new float[a.Length];
        int pos = 0;
        for (int n = 1; pos < c.Length; n = (n * 5 % 509) + 1)
        {
            int len = Math.Min(n * 2, c.Length - pos);
            host.ProcessChain(c.AsSpan(pos, len));
            pos += len;
        }

        Assert.Equal(-1, Render.FirstDifference(a, b));
        Assert.Equal(-1, Render.FirstDifference(a, c));
    }

    [Fact]
    public void DefaultPatchModulesAreAllValid()
    {
        Assert.Equal(["seq", "synth", "filter", "gain", "pan"], DefaultPatch.Modules.Select(m => m.Type));
        Assert.Equal(5, DefaultPatch.CreateHost(Render.Rate, 2, 64).Modules.Count);
    }
}
