using System.Diagnostics;

namespace Perpetuo.Audio.Native;

/// <summary>
/// How a device callback is doing: how many times it ran, and how long each of the last
/// <see cref="Capacity"/> runs took, so the control thread can compute p50 / p99.9.
/// </summary>
/// <remarks>
/// Design: the audio thread writes one duration (Stopwatch ticks) into a preallocated power-of-two ring, then
/// publishes the count with <see cref="Volatile.Write(ref long, long)"/>. The control thread copies the ring and
/// sorts the copy. A reader racing a writer may see one slot from the newest callback instead of the oldest one: that
/// is harmless for a statistic, so there is no lock. Stopwatch.GetTimestamp is clock_gettime through the vDSO on
/// Linux, not a system call.
/// </remarks>
public sealed class CallbackHealth
{
    private readonly long[] _durations;
    private readonly int _mask;
    private long _callbacks;

    /// <summary>Keeps the last <paramref name="capacity"/> durations (a power of two). Control thread only.</summary>
    public CallbackHealth(int capacity = 1 << 16)
    {
        if (capacity < 1 || (capacity & (capacity - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "Capacity must be a power of two.");
        }

        _durations = new long[capacity];
        _mask = capacity - 1;
    }

    /// <summary>How many durations are kept.</summary>
    public int Capacity => _durations.Length;

    /// <summary>Callbacks recorded so far. Any thread.</summary>
    public long Callbacks => Volatile.Read(ref _callbacks);

    /// <summary>Records one callback that started at <paramref name="startTimestamp"/> and ended at <paramref name="endTimestamp"/>.</summary>
    /// <remarks>Audio thread only. Wait-free, allocation-free.</remarks>
    public void TryRecord(long startTimestamp, long endTimestamp)
    {
        long n = _callbacks; // own counter, single writer: plain read
        _durations[n & _mask] = endTimestamp - startTimestamp;
        Volatile.Write(ref _callbacks, n + 1); // publish after the duration is stored
    }

    /// <summary>Count and percentiles of the kept durations. Control thread only (allocates a copy).</summary>
    public CallbackHealthSnapshot Snapshot()
    {
        long callbacks = Callbacks;
        int kept = (int)Math.Min(callbacks, _durations.Length);
        if (kept == 0)
        {
            return new CallbackHealthSnapshot(callbacks, 0, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero);
        }

        long[] copy = new long[kept];
        Array.Copy(_durations, copy, kept);
        Array.Sort(copy);
        return new CallbackHealthSnapshot(callbacks, kept, ToTime(Rank(copy, 0.5)), ToTime(Rank(copy, 0.999)), ToTime(copy[^1]));
    }

    private static long Rank(long[] sorted, double quantile)
    {
        int index = (int)Math.Ceiling(quantile * sorted.Length) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Length - 1)];
    }

    private static TimeSpan ToTime(long ticks) => TimeSpan.FromSeconds((double)ticks / Stopwatch.Frequency);
}
