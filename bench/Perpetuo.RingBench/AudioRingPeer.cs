using System.Diagnostics;
using System.Globalization;
using Perpetuo.Transport;

namespace Perpetuo.RingBench;

/// <summary>
/// The consumer side of the Perpetuo peer: creates a 4-slot region of 256-frame mono blocks (a memory file, as
/// play makes it), spawns the producer process, and copies, verifies and releases every block.
/// </summary>
public static class AudioRingPeer
{
    public const int Capacity = 4;
    public const int Frames = 256;

    /// <summary><c>tput</c> or <c>lat</c>; prints one RESULT line and returns the exit code.</summary>
    public static int Run(string mode)
    {
        bool lat = mode == "lat";
        long warm = lat ? 10_000 : 200_000;
        long measured = lat ? 40_000 : 2_000_000;
        var layout = new RegionLayout(Frames, 1, 48000, Capacity);
        using SharedRegion region = SharedRegion.Create(layout, 0);
        var reader = new AudioRingReader(region);
        using Process producer = SelfProcess.Start("produce", mode, region.Path,
                                                   (warm + measured).ToString(CultureInfo.InvariantCulture));
        float[] block = new float[Frames];
        long[] latencies = new long[lat ? measured : 0];
        long errors = 0, start = 0;
        for (long seq = 0; seq < warm + measured; seq++)
        {
            if (seq == warm)
            {
                start = Stopwatch.GetTimestamp();
            }
            ReadResult r = WaitForBlock(reader, seq, block, producer);
            // The block is in our own buffer and verified: release its slot before checking it, as the C peer does.
            reader.Release(seq + 1);
            long now = Stopwatch.GetTimestamp();
            if (r != ReadResult.Ok || !Payload.BenchBlockIntact(seq, block, lat ? Payload.StampSamples : 0))
            {
                errors++;
            }
            if (lat && seq >= warm)
            {
                latencies[seq - warm] = now - Payload.ReadStamp(block);
            }
        }
        long elapsed = Stopwatch.GetTimestamp() - start;
        producer.WaitForExit();
        if (producer.ExitCode != 0)
        {
            Console.Error.WriteLine($"producer exited {producer.ExitCode}: {producer.StandardError.ReadToEnd()}");
            errors++;
        }
        Console.WriteLine(lat
            ? $"RESULT peer=perpetuo-audioring mode=lat {Percentiles.Format(latencies)} errors={errors}"
            : string.Create(CultureInfo.InvariantCulture,
                $"RESULT peer=perpetuo-audioring mode=tput rate={measured * Stopwatch.Frequency / elapsed} errors={errors}"));
        return 0;
    }

    private static ReadResult WaitForBlock(AudioRingReader reader, long seq, float[] block, Process producer)
    {
        for (int spins = 1; ; spins++)
        {
            ReadResult r = reader.TryRead(seq, block, out _);
            if (r != ReadResult.Missing)
            {
                return r;
            }
            if ((spins & 0xFFFFF) == 0 && producer.HasExited && reader.WritePosition <= seq)
            {
                throw new InvalidOperationException(
                    $"producer exited {producer.ExitCode} before block {seq}: {producer.StandardError.ReadToEnd()}");
            }
        }
    }
}
