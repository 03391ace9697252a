using System.Diagnostics;
using System.Globalization;

namespace Perpetuo.RingBench;

/// <summary>Latency percentiles from Stopwatch tick samples.</summary>
public static class Percentiles
{
    /// <summary>"p50=NS p99=NS p999=NS max=NS" (sorts <paramref name="ticks"/> in place).</summary>
    public static string Format(long[] ticks)
    {
        ArgumentNullException.ThrowIfNull(ticks);
        Array.Sort(ticks);
        return string.Create(CultureInfo.InvariantCulture,
            $"p50={Ns(ticks, 0.50)} p99={Ns(ticks, 0.99)} p999={Ns(ticks, 0.999)} max={ToNs(ticks[^1])}");
    }

    private static long Ns(long[] sorted, double q) => ToNs(sorted[Math.Min(sorted.Length - 1, (int)(sorted.Length * q))]);

    private static long ToNs(long ticks) => (long)(ticks * 1e9 / Stopwatch.Frequency);
}
