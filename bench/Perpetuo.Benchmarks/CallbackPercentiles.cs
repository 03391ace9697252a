using System.Diagnostics;
using System.Globalization;

namespace Perpetuo.Benchmarks;

/// <summary>
/// The two-slot callback timed one call at a time: N blocks, each produced into both rings (untimed), then
/// <c>TryFillBlock</c> between two <see cref="Stopwatch.GetTimestamp"/> reads. Prints p50/p99/p99.9/max and the
/// bytes this thread allocated across the timed loop, which must be 0.
/// </summary>
public static class CallbackPercentiles
{
    public static int Run(int iterations, int frames)
    {
        using var rig = new CallbackRig(2, frames);
        for (int i = 0; i < 200_000; i++)
        {
            rig.Produce();
            rig.Callback(); // warm-up: tier-1 JIT (PGO) of the whole path
        }
        long[] ticks = new long[iterations];
        int gcs = GC.CollectionCount(0);
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < iterations; i++)
        {
            rig.Produce();
            long t0 = Stopwatch.GetTimestamp();
            rig.Callback();
            ticks[i] = Stopwatch.GetTimestamp() - t0;
        }
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        gcs = GC.CollectionCount(0) - gcs;
        Array.Sort(ticks);
        double ns = 1e9 / Stopwatch.Frequency;
        string P(double q) => (ticks[Math.Min(ticks.Length - 1, (int)(q * ticks.Length))] * ns).ToString("F0", CultureInfo.InvariantCulture);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"callback 2 slots, {frames} frames x 2 ch, {iterations:N0} calls: p50 {P(0.5)} ns  p99 {P(0.99)} ns  p99.9 {P(0.999)} ns  " +
            $"p99.99 {P(0.9999)} ns  max {ticks[^1] * ns:F0} ns  allocated {allocated} B  gen0 GCs {gcs}  underruns {rig.Reader.Underruns}"));
        return allocated == 0 && rig.Reader.Underruns == 0 ? 0 : 1;
    }
}
