using Perpetuo.Protocol;

namespace Perpetuo.Dsp.Tests;

public sealed class OscillatorTests
{
    [Theory]
    [InlineData(0, 110)]
    [InlineData(0, 1234.5)]
    [InlineData(1, 220)]
    [InlineData(1, 3000)]
    [InlineData(2, 440)]
    [InlineData(2, 2500)]
    [InlineData(3, 330)]
    [InlineData(3, 5000)]
    public void OscillatorPitchIsWithinHalfAPercentOfFreq(int wave, float freq)
    {
        ModuleHost host = Render.Single("osc", 1, ("wave", wave), ("freq", freq), ("level", 1));
        float[] x = Render.Blocks(host, 48, 1000);

        double measured = Render.PitchByZeroCrossings(x, Render.Rate);

        Assert.InRange(measured, freq * 0.995, freq * 1.005);
    }

    [Fact]
    public void FollowTakesPitchFromTheLastHeldNoteAndDetuneShiftsIt()
    {
        ModuleHost host = Render.Single("osc", 1, ("wave", 0), ("freq", 100), ("follow", 1), ("detune", 1200));
        host.QueueCommand(new DspCommand(CommandKind.NoteOn, 0, Value: 57, Value2: 1)); // A3 = 220 Hz
        host.QueueCommand(new DspCommand(CommandKind.NoteOn, 0, Value: 69, Value2: 1)); // A4 = 440 Hz, last wins
        float[] x = Render.Blocks(host, 48, 1000);

        Assert.InRange(Render.PitchByZeroCrossings(x[1000..], Render.Rate), 880 * 0.995, 880 * 1.005);
    }

    [Fact]
    public void PolyBlepSawAt5kHzHasFarLessAliasingThanANaiveSaw()
    {
        const int n = 4800; // 10 Hz bins: every harmonic and every alias of 5 kHz falls exactly on a bin
        ModuleHost host = Render.Single("osc", 1, ("wave", 1), ("freq", 5000), ("level", 1));
        float[] blep = Render.Blocks(host, 5, n / 5);
        float[] naive = Enumerable.Range(0, n).Select(i => (float)((2.0 * (i * 5000.0 / Render.Rate % 1.0)) - 1.0)).ToArray();

        double blepAlias = AliasRatio(blep, 5000);
        double naiveAlias = AliasRatio(naive, 5000);

        Assert.True(blepAlias < naiveAlias / 4, $"alias energy ratio polyBLEP {blepAlias:E2} vs naive {naiveAlias:E2}");
    }

    [Fact]
    public void PolyBlampTriangleAt5kHzHasLessAliasingThanANaiveTriangle()
    {
        const int n = 4800;
        ModuleHost host = Render.Single("osc", 1, ("wave", 3), ("freq", 5000), ("level", 1));
        float[] blamp = Render.Blocks(host, 5, n / 5);
        float[] naive = Enumerable.Range(0, n).Select(i =>
        {
            double p = i * 5000.0 / Render.Rate % 1.0;
            return (float)(p < 0.5 ? (4 * p) - 1 : 3 - (4 * p));
        }).ToArray();

        Assert.True(AliasRatio(blamp, 5000) < AliasRatio(naive, 5000) / 2);
    }

    [Fact]
    public void SquareIsBalancedAndStaysWithinItsAmplitude()
    {
        ModuleHost host = Render.Single("osc", 1, ("wave", 2), ("freq", 1000), ("level", 0.5f));
        float[] x = Render.Blocks(host, 10, 480);

        Assert.InRange(x.Average(), -0.01, 0.01);
        Assert.All(x, v => Assert.InRange(v, -0.65f, 0.65f));
    }

    /// <summary>Energy outside the harmonic bins of <paramref name="f0"/> relative to the total.</summary>
    private static double AliasRatio(float[] x, double f0)
    {
        double[] power = Render.PowerSpectrum(x);
        double binHz = (double)Render.Rate / x.Length;
        double total = 0;
        double alias = 0;
        for (int k = 1; k < power.Length; k++)
        {
            total += power[k];
            double h = k * binHz / f0;
            if (Math.Abs(h - Math.Round(h)) > 1e-9)
            {
                alias += power[k];
            }
        }

        return alias / total;
    }
}
