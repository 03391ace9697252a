using System.Diagnostics;
using System.Globalization;
using Perpetuo.Transport;

namespace Perpetuo.RingBench;

/// <summary>
/// Single-thread cost of each part of one 256-sample block's trip through the ring, uncontended, to split the
/// per-block cost between the plain SPSC work (copies) and what the Perpetuo ring adds (hash, finite check, fences).
/// </summary>
public static class CostSplit
{
    private const int Iterations = 2_000_000;

    public static int Run()
    {
        float[] a = new float[AudioRingPeer.Frames];
        float[] b = new float[AudioRingPeer.Frames];
        a.AsSpan().Fill(7);
        ulong sink = 0;
        Measure("copy 1 KiB (memcpy)", () => a.AsSpan().CopyTo(b));
        Measure("BlockHash.Compute (256 samples)", () => sink += BlockHash.Compute(a));
        Measure("BlockHash.CopyAndCompute (producer pass)", () => sink += BlockHash.CopyAndCompute(a, b));
        Measure("BlockHash.CopyAndCompute + finite (consumer)", () => sink += BlockHash.CopyAndCompute(a, b, out _));
        Measure("Interlocked.MemoryBarrier", Interlocked.MemoryBarrier);
        Measure("payload check (256 samples)", () => sink += Payload.BenchBlockIntact(3, a, 0) ? 1UL : 0UL);
        using SharedRegion region = SharedRegion.Create(
            new RegionLayout(AudioRingPeer.Frames, 1, 48000, AudioRingPeer.Capacity), 0);
        var writer = new AudioRingWriter(region);
        var reader = new AudioRingReader(region);
        long seq = 0;
        Measure("AudioRingWriter.TryWrite", () =>
        {
            writer.TryWrite(seq, a);
            reader.Release(++seq); // keep a slot free; a plain store, negligible
        });
        seq = 0;
        var w2 = new AudioRingWriter(region);
        Measure("TryWrite + TryRead + Release (one thread)", () =>
        {
            w2.TryWrite(seq + 1_000_000_000, a);
            reader.TryRead(seq + 1_000_000_000, b, out _);
            reader.Release(++seq + 1_000_000_000);
        });
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"(sink {sink & 1})"));
        return 0;
    }

    private static void Measure(string what, Action body)
    {
        for (int i = 0; i < Iterations / 10; i++)
        {
            body();
        }
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < Iterations; i++)
        {
            body();
        }
        double ns = Stopwatch.GetElapsedTime(start).TotalNanoseconds / Iterations;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"SPLIT {what,-45} {ns,7:F1} ns/block"));
    }
}
