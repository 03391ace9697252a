namespace Perpetuo.Dsp.Tests;

public sealed class FilterTests
{
    private static readonly NoteEventList NoEvents = new(1);

    private static float[] Filter(float[] input, int mode, float cutoff, float resonance)
    {
        var ctx = new ModuleContext(Render.Rate, 1, input.Length);
        Module f = ModuleRegistry.Create(FilterModule.TypeDescriptor, "f", ctx);
        f.SetParam(FilterModule.Mode, mode, 0);
        f.SetParam(FilterModule.Cutoff, cutoff, 0);
        f.SetParam(FilterModule.Resonance, resonance, 0);
        float[] x = (float[])input.Clone();
        f.Process(x, x.Length, NoEvents);
        return x;
    }

    private static float[] Noise(int n, uint seed)
    {
        var rng = new Xorshift(seed);
        return Enumerable.Range(0, n).Select(_ => rng.NextFloat(-1, 1)).ToArray();
    }

    [Theory]
    [InlineData(0, 800, 0.3f)]
    [InlineData(1, 2000, 0.9f)]
    [InlineData(2, 120, 1f)]
    public void FilterIsTimeInvariantDelayedInputGivesDelayedOutput(int mode, float cutoff, float resonance)
    {
        const int delay = 137;
        float[] input = Noise(4000, 3);
        float[] delayed = [.. new float[delay], .. input];

        float[] y = Filter(input, mode, cutoff, resonance);
        float[] yd = Filter(delayed, mode, cutoff, resonance);

        Assert.All(yd[..delay], v => Assert.Equal(0f, v));
        Assert.Equal(-1, Render.FirstDifference(y, yd[delay..]));
    }

    [Theory]
    [InlineData(0, 10000, 500, 0)]
    [InlineData(2, 100, 5000, 0)]
    [InlineData(1, 200, 1000, 0.9f)]
    [InlineData(1, 8000, 1000, 0.9f)]
    public void EachModePassesItsBandAndAttenuatesTheOther(int mode, double stopHz, float cutoff, float resonance)
    {
        double Gain(double hz)
        {
            float[] sine = Enumerable.Range(0, 9600).Select(i => (float)Math.Sin(2 * Math.PI * hz * i / Render.Rate)).ToArray();
            return Render.Rms(Filter(sine, mode, cutoff, resonance)[4800..]) / Render.Rms(sine[4800..]);
        }

        Assert.InRange(Gain(cutoff), 0.3, 1.2);
        Assert.True(Gain(stopHz) < 0.1, $"stop-band gain {Gain(stopHz)}");
    }

    [Fact]
    public void NaNInputDoesNotPoisonTheFilterState()
    {
        var ctx = new ModuleContext(Render.Rate, 1, 64);
        Module f = ModuleRegistry.Create(FilterModule.TypeDescriptor, "f", ctx);
        float[] bad = [float.NaN, .. new float[63]];
        f.Process(bad, 64, NoEvents);
        float[] ok = Noise(64, 5);
        f.Process(ok, 64, NoEvents);

        Assert.All(ok, v => Assert.True(float.IsFinite(v)));
    }
}
