using System.Diagnostics;
using System.Globalization;
using Perpetuo.Lv2;

namespace Perpetuo.Benchmarks;

/// <summary>
/// <c>-- lv2-run URI [BLOCKS [FRAMES]]</c>: one plugin's <see cref="Lv2Plugin.Run"/> in Perpetuo's host, BLOCKS blocks
/// (default 2,000) of FRAMES (256), timed block by block after a warm-up: the median and the 99th percentile, in µs,
/// to set against `lv2bench -b FRAMES -n FRAMES*BLOCKS URI` (lilv's own host; it prints the total in seconds). The
/// input is a busy signal; an instrument is played a chord, renewed every 64 blocks, so its voices work.
/// </summary>
public static class Lv2RunCost
{
    public static int Run(string uri, int blocks, int frames)
    {
        using Lv2Catalog catalog = Lv2Catalog.Load();
        using Lv2Plugin p = catalog.Instantiate(uri, 48000, frames);
        p.Activate();
        p.SettleWork();
        for (int i = 0; i < p.AudioInputCount; i++)
        {
            Span<float> input = p.AudioInput(i);
            for (int f = 0; f < frames; f++)
            {
                input[f] = (((f * 7919) + (i * 104729)) % 1000 / 1000f) - 0.5f; // a fixed, busy signal
            }
        }
        var times = new double[blocks];
        for (int b = -200; b < blocks; b++)
        {
            p.BeginBlock();
            if (b % 64 == 0)
            {
                foreach (byte note in (byte[])[48, 55, 60, 64, 67, 72])
                {
                    p.TryWriteMidi(0, 0x90, note, 90);
                }
            }
            long t0 = Stopwatch.GetTimestamp();
            p.Run(frames);
            long t1 = Stopwatch.GetTimestamp();
            if (b >= 0)
            {
                times[b] = (t1 - t0) * 1e6 / Stopwatch.Frequency;
            }
        }
        Array.Sort(times);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{uri}: {frames}-frame run, median {times[blocks / 2]:0.00} us, p99 {times[blocks * 99 / 100]:0.00} us, mean {times.Average():0.00} us ({blocks} blocks)"));
        return 0;
    }
}
