using Perpetuo.Protocol;

namespace Perpetuo.Dsp.Tests;

/// <summary>The output safety stage: a hard ceiling for any patch and command sequence, transparent below its threshold.</summary>
public sealed class SafetyClipperTests
{
    private const int Frames = 256;

    /// <summary>The default patch followed by sixty gains at their maximum, 4: about 4^60 times too loud.</summary>
    private static ModuleHost SixtyGains(bool clipper = true)
    {
        ModuleHost host = DefaultPatch.CreateHost(Render.Rate, 2, 512);
        for (int i = 0; i < 60; i++)
        {
            host.AddModule("gain", $"g{i}", [Render.P("gain", 4)]);
        }

        host.SafetyClipperEnabled = clipper;
        return host;
    }

    /// <summary>A loud saw into a lowpass at full resonance whose cutoff commands sweep up and down.</summary>
    private static ModuleHost ResonantFilter(bool clipper = true)
    {
        var host = new ModuleHost(Render.Rate, 2, 512);
        host.AddModule("osc", "saw", [Render.P("wave", 1), Render.P("freq", 110), Render.P("level", 1)]);
        host.AddModule("gain", "drive", [Render.P("gain", 4)]);
        host.AddModule("filter", "f", [Render.P("mode", 0), Render.P("cutoff", 200), Render.P("resonance", 1)]);
        host.SafetyClipperEnabled = clipper;
        return host;
    }

    private static void Sweep(ModuleHost host, int block) =>
        host.QueueCommand(new DspCommand(CommandKind.SetParam, block * 37 % Frames, "f", "cutoff",
            block % 8 < 4 ? 8000 : 150, 0.02f));

    private static float Peak(float[] x) => x.Max(MathF.Abs);

    [Fact]
    public void SixtyGainModulesAtMaximumGainStayWithinTheCeiling()
    {
        ModuleHost host = SixtyGains();

        float[] output = Render.Blocks(host, 400, Frames);

        Assert.InRange(Peak(output), 0.9f, SafetyClipper.Ceiling);
        Assert.True(host.ClippedBlocks > 0);
        Assert.Equal(0, host.NonFiniteSamples);
    }

    [Fact]
    public void AResonantFilterPushedByCommandsStaysWithinTheCeiling()
    {
        ModuleHost host = ResonantFilter();

        float[] output = Render.Blocks(host, 400, Frames, Sweep);

        Assert.True(Peak(output) <= SafetyClipper.Ceiling);
        Assert.True(host.ClippedSamples > 1000);
    }

    [Fact]
    public void WithTheStageOffTheSameChainsExceedTheCeilingUnchanged()
    {
        ModuleHost gains = SixtyGains(clipper: false);
        ModuleHost filter = ResonantFilter(clipper: false);

        float[] loud = Render.Blocks(gains, 50, Frames);
        float[] ringing = Render.Blocks(filter, 400, Frames, Sweep);

        Assert.True(Peak(loud) > 1e30f);
        Assert.True(Peak(ringing) > 1f);
        Assert.Equal(0, gains.ClippedBlocks + filter.ClippedBlocks);
    }

    [Fact]
    public void OutputBelowTheThresholdIsBitIdenticalWithTheStageOnOrOff()
    {
        ModuleHost on = DefaultPatch.CreateHost(Render.Rate, 2, 512);
        ModuleHost off = DefaultPatch.CreateHost(Render.Rate, 2, 512);
        off.SafetyClipperEnabled = false;

        float[] a = Render.Blocks(on, 2000, Frames); // about 10.7 s: every step of the arpeggio, several times
        float[] b = Render.Blocks(off, 2000, Frames);

        Assert.True(Peak(b) <= SafetyClipper.Threshold);
        Assert.Equal(-1, Render.FirstDifference(a, b));
        Assert.Equal(0, on.ClippedSamples);
    }

    [Fact]
    public void ARestoredHostContinuesBitExactlyWhileClipping()
    {
        ModuleHost original = ResonantFilter();
        Render.Blocks(original, 123, Frames, Sweep);
        Assert.True(original.ClippedBlocks > 0);

        ModuleHost restored = ModuleHost.LoadSnapshot(original.SaveSnapshot(), 512);
        float[] a = Render.Blocks(original, 200, Frames, (h, b) => Sweep(h, b + 123));
        float[] b = Render.Blocks(restored, 200, Frames, (h, b) => Sweep(h, b + 123));

        Assert.Equal(-1, Render.FirstDifference(a, b));
        Assert.True(restored.ClippedBlocks > 0);
    }

    [Fact]
    public void TheCurveIsTheIdentityUpToTheThresholdThenRisesSmoothlyAndNeverPassesTheCeiling()
    {
        float previous = 0f;
        for (float x = 0f; x < 50f; x += 0.0005f)
        {
            if (x <= SafetyClipper.Threshold)
            {
                previous = x; // the stage leaves these samples alone
                continue;
            }

            float y = SafetyClipper.Shape(x);
            Assert.True(y >= previous && y <= x && y <= SafetyClipper.Ceiling, $"x={x} y={y}");
            Assert.True(y - previous <= 0.0005f * 1.001f, $"slope above 1 at x={x}");
            Assert.Equal(-y, SafetyClipper.Shape(-x));
            previous = y;
        }

        Assert.Equal(SafetyClipper.Ceiling, SafetyClipper.Shape(float.MaxValue));
        Assert.Equal(-SafetyClipper.Ceiling, SafetyClipper.Shape(float.MinValue));
        Assert.InRange(SafetyClipper.Shape(SafetyClipper.Threshold + 1e-4f), SafetyClipper.Threshold, SafetyClipper.Threshold + 1e-4f);
    }

    [Fact]
    public void ClippingAHotChainAllocatesNothing()
    {
        ModuleHost host = SixtyGains();
        float[] block = new float[Frames * 2];
        for (int i = 0; i < 200; i++)
        {
            host.ProcessChain(block);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 2000; i++)
        {
            host.ProcessChain(block);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(host.ClippedBlocks > 0);
    }
}
