using System.Diagnostics;
using Perpetuo.Transport;

namespace Perpetuo.RingBench;

/// <summary>
/// The producer process: opens a region created by the consumer and writes blocks 0..count-1 into its audio ring,
/// spinning on <see cref="AudioRingWriter.CanWrite"/> whenever the ring is full.
/// </summary>
public static class Producer
{
    /// <summary>The one-way latency pacing: one block every 50 µs.</summary>
    public const double LatencyPeriodMicroseconds = 50;

    private static readonly long StallLimit = Stopwatch.Frequency * 30;

    /// <summary><c>produce tput|lat|stress REGION COUNT</c>; returns the process exit code.</summary>
    public static int Run(string kind, string regionPath, long count)
    {
        using SharedRegion region = SharedRegion.Open(regionPath);
        var writer = new AudioRingWriter(region);
        float[] block = new float[region.Layout.BlockSamples];
        long period = (long)(Stopwatch.Frequency * LatencyPeriodMicroseconds / 1e6);
        long next = Stopwatch.GetTimestamp();
        for (long seq = 0; seq < count; seq++)
        {
            switch (kind)
            {
                case "tput":
                    block.AsSpan().Fill(Payload.Bench(seq));
                    break;
                case "lat":
                    block.AsSpan().Fill(Payload.Bench(seq));
                    next += period;
                    while (Stopwatch.GetTimestamp() < next)
                    {
                        // Spin: sleeping would add the scheduler's wake-up latency to every block.
                    }
                    Payload.WriteStamp(block, Stopwatch.GetTimestamp());
                    break;
                case "stress":
                    Payload.FillStress(seq, block);
                    break;
                default:
                    Console.Error.WriteLine($"unknown producer kind {kind}");
                    return 2;
            }
            if (!WaitForSlot(writer, seq) || !writer.TryWrite(seq, block))
            {
                Console.Error.WriteLine($"producer: block {seq} could not be written (consumer gone?)");
                return 3;
            }
        }
        return 0;
    }

    private static bool WaitForSlot(AudioRingWriter writer, long seq)
    {
        if (writer.CanWrite(seq))
        {
            return true;
        }
        long start = Stopwatch.GetTimestamp();
        for (int spins = 1; ; spins++)
        {
            if (writer.CanWrite(seq))
            {
                return true;
            }
            if ((spins & 0xFFFF) == 0 && Stopwatch.GetTimestamp() - start > StallLimit)
            {
                return false;
            }
        }
    }
}
