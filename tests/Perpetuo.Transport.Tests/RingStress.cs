using System.Diagnostics;
using Perpetuo.RingBench;

namespace Perpetuo.Transport.Tests;

/// <summary>Consumer loop and a spin helper shared by the stress tests.</summary>
internal static class RingStress
{
    /// <summary>Stress tests run longer when PERPETUO_STRESS=1 (the habit of dotnet/runtime's stress mode).</summary>
    public static bool Long => Environment.GetEnvironmentVariable("PERPETUO_STRESS") == "1";

    private static readonly long StallLimit = Stopwatch.Frequency * 20;

    /// <summary>
    /// Reads blocks 0..count-1 in order as the supervisor's callback does (copy, verify, then release), checking
    /// every sample against the stress payload. Returns (faulty reads, blocks with a wrong sample).
    /// </summary>
    public static (long Faulty, long Wrong) Consume(SharedRegion region, long count, Func<bool> producerGone, Random? jitter = null)
    {
        var reader = new AudioRingReader(region);
        float[] dest = new float[region.Layout.BlockSamples];
        long faulty = 0, wrong = 0;
        for (long seq = 0; seq < count; seq++)
        {
            ReadResult r;
            long spins = 0, since = 0;
            while ((r = reader.TryRead(seq, dest, out _)) == ReadResult.Missing)
            {
                if ((++spins & 0xFFFF) == 0)
                {
                    since = since == 0 ? Stopwatch.GetTimestamp() : since;
                    if (Stopwatch.GetTimestamp() - since > StallLimit || (producerGone() && reader.WritePosition <= seq))
                    {
                        throw new TimeoutException($"block {seq} never arrived (write position {reader.WritePosition})");
                    }
                }
            }
            if (r == ReadResult.Faulty)
            {
                faulty++;
            }
            else if (Payload.StressMismatches(seq, dest) != 0)
            {
                wrong++;
            }
            reader.Release(seq + 1);
            Pause(jitter);
        }
        return (faulty, wrong);
    }

    /// <summary>Writes blocks 0..count-1 of the stress payload, spinning while the ring is full.</summary>
    public static void Produce(SharedRegion region, long count, Random? jitter = null)
    {
        var writer = new AudioRingWriter(region);
        float[] block = new float[region.Layout.BlockSamples];
        long start = Stopwatch.GetTimestamp();
        for (long seq = 0; seq < count; seq++)
        {
            Payload.FillStress(seq, block);
            for (long spins = 1; !writer.TryWrite(seq, block); spins++)
            {
                if ((spins & 0xFFFF) == 0 && Stopwatch.GetTimestamp() - start > StallLimit * 10)
                {
                    return; // consumer gone: let it report
                }
            }
            Pause(jitter);
        }
    }

    /// <summary>Random short pauses, so the two sides meet at every point of each other's code.</summary>
    private static void Pause(Random? jitter)
    {
        if (jitter is null)
        {
            return;
        }
        int roll = jitter.Next(64);
        if (roll == 0)
        {
            Thread.Yield();
        }
        else if (roll < 8)
        {
            Thread.SpinWait(jitter.Next(1, 200));
        }
    }
}
