using System.Diagnostics;
using System.Globalization;
using Perpetuo.Protocol;

namespace Perpetuo.Dsp.Tests;

public sealed class CrossProcessTests
{
    /// <summary>Default patch plus note and ramp commands for 5 s; FNV-1a over the sample bits.</summary>
    internal static ulong RenderHash(int seed)
    {
        ModuleHost host = DefaultPatch.CreateHost(48000, 2, 480);
        host.AddModule("noise", "hiss", [Render.P("level", 0.01f), Render.P("seed", seed)]);
        var rng = new Xorshift((uint)seed);
        float[] block = new float[960];
        ulong h = 14695981039346656037UL;
        for (int b = 0; b < 500; b++)
        {
            if (b % 10 == 0)
            {
                host.QueueCommand(new DspCommand(CommandKind.SetParam, rng.Next(0, 480), "filter", "cutoff", rng.NextFloat(200, 5000), 0.2f));
                host.QueueCommand(new DspCommand(CommandKind.NoteOn, rng.Next(0, 480), Value: rng.Next(40, 80), Value2: 0.6f));
            }

            host.ProcessChain(block);
            foreach (float v in block)
            {
                h = (h ^ (uint)BitConverter.SingleToInt32Bits(v)) * 1099511628211UL;
            }
        }

        return h;
    }

    [Fact]
    public void TwoSeparateProcessesRenderBitIdenticalOutput()
    {
        string expected = RenderHash(11).ToString("x16", CultureInfo.InvariantCulture);

        string first = RunHelper(11, tiered: true);
        string second = RunHelper(11, tiered: false); // fully optimised JIT from the first call: tiering must not change results

        Assert.Equal(expected, first);
        Assert.Equal(expected, second);
        Assert.NotEqual(expected, RenderHash(12).ToString("x16", CultureInfo.InvariantCulture));
    }

    private static string RunHelper(int seed, bool tiered)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.Environment["DOTNET_TieredCompilation"] = tiered ? "1" : "0";
        psi.Environment["DOTNET_EnableAVX2"] = tiered ? "1" : "0"; // narrower Vector<float> must not change results either
        psi.ArgumentList.Add("exec");
        psi.ArgumentList.Add(typeof(CrossProcessTests).Assembly.Location);
        psi.ArgumentList.Add("render-hash");
        psi.ArgumentList.Add(seed.ToString(CultureInfo.InvariantCulture));
        using Process p = Process.Start(psi)!;
        string output = p.StandardOutput.ReadToEnd();
        string error = p.StandardError.ReadToEnd();
        Assert.True(p.WaitForExit(60_000), "helper process timed out");
        Assert.True(p.ExitCode == 0, $"helper exited {p.ExitCode}: {error}");
        return output.Trim();
    }
}
