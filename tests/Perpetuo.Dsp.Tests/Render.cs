using System.Runtime.InteropServices;

namespace Perpetuo.Dsp.Tests;

/// <summary>Helpers that drive a host block by block and measure signals.</summary>
internal static class Render
{
    public const int Rate = 48000;

    /// <summary>Renders <paramref name="blocks"/> blocks of <paramref name="frames"/> frames; <paramref name="commands"/> is called before each block with its index.</summary>
    public static float[] Blocks(ModuleHost host, int blocks, int frames, Action<ModuleHost, int>? commands = null)
    {
        var all = new float[blocks * frames * host.Channels];
        for (int b = 0; b < blocks; b++)
        {
            commands?.Invoke(host, b);
            host.ProcessChain(all.AsSpan(b * frames * host.Channels, frames * host.Channels));
        }

        return all;
    }

    /// <summary>A host with one module of <paramref name="type"/>, without the output safety clipper: these tests
    /// measure the module itself, at full scale (SafetyClipperTests cover the stage).</summary>
    public static ModuleHost Single(string type, int channels, params (string Name, float Value)[] ps)
    {
        var host = new ModuleHost(Rate, channels, 1024) { SafetyClipperEnabled = false };
        host.AddModule(type, type, ps.Select(p => new KeyValuePair<string, float>(p.Name, p.Value)));
        return host;
    }

    public static float[] Channel(float[] interleaved, int channels, int channel) =>
        Enumerable.Range(0, interleaved.Length / channels).Select(i => interleaved[(i * channels) + channel]).ToArray();

    public static double Rms(ReadOnlySpan<float> x)
    {
        double sum = 0;
        foreach (float v in x)
        {
            sum += v * (double)v;
        }

        return Math.Sqrt(sum / Math.Max(1, x.Length));
    }

    /// <summary>Frequency from upward zero crossings, with linear interpolation of the crossing time.</summary>
    public static double PitchByZeroCrossings(float[] x, int sampleRate)
    {
        double mean = x.Average(v => (double)v);
        var crossings = new List<double>();
        for (int i = 1; i < x.Length; i++)
        {
            double a = x[i - 1] - mean;
            double b = x[i] - mean;
            if (a < 0 && b >= 0)
            {
                crossings.Add(i - 1 + (a / (a - b)));
            }
        }

        return (crossings.Count - 1) / (crossings[^1] - crossings[0]) * sampleRate;
    }

    /// <summary>Power spectrum |X[k]|² for k = 0..N/2 by a direct DFT (exact for test lengths).</summary>
    public static double[] PowerSpectrum(float[] x)
    {
        int n = x.Length;
        var power = new double[(n / 2) + 1];
        for (int k = 0; k < power.Length; k++)
        {
            double re = 0;
            double im = 0;
            for (int i = 0; i < n; i++)
            {
                double w = 2 * Math.PI * ((long)k * i % n) / n;
                re += x[i] * Math.Cos(w);
                im -= x[i] * Math.Sin(w);
            }

            power[k] = (re * re) + (im * im);
        }

        return power;
    }

    public static bool BitEqual(float[] a, float[] b) =>
        MemoryMarshal.Cast<float, int>(a).SequenceEqual(MemoryMarshal.Cast<float, int>(b));

    public static int FirstDifference(float[] a, float[] b)
    {
        for (int i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            if (BitConverter.SingleToInt32Bits(a[i]) != BitConverter.SingleToInt32Bits(b[i]))
            {
                return i;
            }
        }

        return a.Length == b.Length ? -1 : Math.Min(a.Length, b.Length);
    }

    public static KeyValuePair<string, float> P(string name, float value) => new(name, value);
}
