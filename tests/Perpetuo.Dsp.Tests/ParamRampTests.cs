namespace Perpetuo.Dsp.Tests;

/// <summary>
/// Properties of a parameter ramp, frame by frame: monotonic, never outside [start, target], within one float
/// step (ulp) of the exact line (so it neither stalls nor jumps), and exactly on the target at its last frame.
/// </summary>
public sealed class ParamRampTests
{
    /// <summary>ModuleHost.MaxRampSeconds at 48 kHz and at the highest rate a host accepts.</summary>
    private const int Longest48k = 600 * 48000;
    private const int Longest768k = 600 * 768000;

    public static TheoryData<float, float, int> EdgeRamps => new()
    {
        { 19999f, 20000f, Longest48k }, // step 3.5e-8 against an ulp of 2e-3: accumulation stalls, then jumps
        { 20000f, 19999f, Longest48k },
        { 3.99f, 4f, 70_000 },          // step 0.6 ulp: accumulation rounds up every frame and runs ahead
        { 0.01f, 0f, 7_777_777 },
        { 20f, 20000f, Longest768k },   // widest real range over the longest ramp at 768 kHz
        { 1f, 0f, Longest48k },
        { -1200f, 1200f, 1 },
        { 4f, 0f, 2 },
        { 1e-30f, 4f, 1000 },           // target - start is rounded even in double
        { -1e-30f, 4f, 1000 },
    };

    [Theory]
    [MemberData(nameof(EdgeRamps))]
    public void EdgeRampsAreMonotonicBoundedOnTheLineAndEndExactlyOnTarget(float start, float target, int frames) =>
        CheckRamp(start, target, frames);

    [Fact]
    public void SeededRampsOverRealParameterRangesAreMonotonicBoundedOnTheLineAndEndExactlyOnTarget()
    {
        ParamDescriptor[] smoothed = ModuleRegistry.Types.SelectMany(t => t.Params).Where(p => p.Smoothed).ToArray();
        var rng = new Xorshift(2024);
        for (int i = 0; i < 300; i++)
        {
            ParamDescriptor d = smoothed[rng.Next(0, smoothed.Length)];
            float start = Pick(rng, d);
            float target = rng.Next(0, 4) == 0 ? Near(rng, start, d) : Pick(rng, d);

            // Log-uniform lengths from 1 frame to 4 M frames (87 s at 48 kHz); the longest ramps are EdgeRamps.
            int frames = (int)Math.Min(int.MaxValue, Math.Exp(rng.NextFloat(0, 15.2f)));
            CheckRamp(start, target, frames, $"case {i}, {d.Name} ");
        }
    }

    /// <summary>Runs the ramp <paramref name="start"/> -> <paramref name="target"/> to its end and checks every frame.</summary>
    internal static void CheckRamp(float start, float target, int frames, string what = "")
    {
        var p = new ParamState { Target = start };
        p.Settle();
        p.RampTo(target, frames);
        float lo = Math.Min(start, target);
        float hi = Math.Max(start, target);
        float ulp = MathF.BitIncrement(Math.Max(Math.Abs(lo), Math.Abs(hi))) - Math.Max(Math.Abs(lo), Math.Abs(hi));
        double span = (double)target - start;
        float previous = start;
        for (int done = 1; done <= frames; done++)
        {
            float v = p.Next();
            double exact = start + (span * done / frames); // within 1e-16 relative of the real line
            if (v < lo || v > hi || (target > start ? v < previous : v > previous) || Math.Abs(v - exact) > ulp)
            {
                Assert.Fail($"{what}ramp {start:R} -> {target:R} over {frames} frames: frame {done} is {v:R} after "
                    + $"{previous:R}; the line is at {exact:R}, one ulp is {ulp:R}");
            }

            previous = v;
        }

        Assert.True(p.IsSettled, $"{what}still ramping after {frames} frames");
        Assert.Equal(BitConverter.SingleToInt32Bits(target), BitConverter.SingleToInt32Bits(previous));
        Assert.Equal(target, p.Next());
    }

    private static float Pick(Xorshift rng, ParamDescriptor d) => rng.Next(0, 8) switch
    {
        0 => d.Min,
        1 => d.Max,
        _ => rng.NextFloat(d.Min, d.Max),
    };

    /// <summary>A value a few ulps to a few thousand ulps from <paramref name="x"/>, inside the range: tiny steps near large values.</summary>
    private static float Near(Xorshift rng, float x, ParamDescriptor d)
    {
        int ulps = rng.Next(1, 4000) * (rng.Next(0, 2) == 0 ? 1 : -1);
        float y = BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(x) + ulps);
        return float.IsFinite(y) ? Math.Clamp(y, d.Min, d.Max) : x;
    }
}
