using System.Diagnostics;

namespace Perpetuo.Control.Osc;

/// <summary>
/// Pairs a wall-clock time tag with a <see cref="Stopwatch"/> timestamp taken at the same instant, so bundle
/// time tags can be scheduled on the monotonic clock the engine runs on.
/// </summary>
/// <remarks>
/// Capture one reference when the server starts (and again if the wall clock is known to have stepped); every
/// conversion after that is pure arithmetic on the monotonic clock. Allocation-free.
/// </remarks>
public readonly record struct OscTimeReference(OscTimeTag TimeTag, long StopwatchTimestamp)
{
    /// <summary>Reads the wall clock and the stopwatch back to back.</summary>
    public static OscTimeReference CaptureNow()
    {
        long timestamp = Stopwatch.GetTimestamp();
        return new OscTimeReference(OscTimeTag.FromDateTime(DateTime.UtcNow), timestamp);
    }

    /// <summary>
    /// The <see cref="Stopwatch"/> timestamp at which <paramref name="tag"/> falls due. <see cref="OscTimeTag.Immediate"/>
    /// returns <see cref="long.MinValue"/>, which compares as already due against any timestamp.
    /// </summary>
    public long ToStopwatchTimestamp(OscTimeTag tag)
    {
        if (tag.IsImmediate)
        {
            return long.MinValue;
        }

        long diff = unchecked((long)(tag.Value - TimeTag.Value));
        Int128 ticks = ((Int128)diff * Stopwatch.Frequency) >> 32;
        return (long)Int128.Clamp(StopwatchTimestamp + ticks, long.MinValue + 1, long.MaxValue);
    }

    /// <summary>The time tag of a <see cref="Stopwatch"/> timestamp, for stamping replies and outgoing bundles.</summary>
    public OscTimeTag FromStopwatchTimestamp(long timestamp)
    {
        Int128 units = ((Int128)(timestamp - StopwatchTimestamp) << 32) / Stopwatch.Frequency;
        return new OscTimeTag(unchecked(TimeTag.Value + (ulong)(long)units));
    }

    /// <summary>Time from <paramref name="nowTimestamp"/> until <paramref name="tag"/> is due; negative when late.</summary>
    public TimeSpan DelayUntil(OscTimeTag tag, long nowTimestamp) =>
        tag.IsImmediate ? TimeSpan.Zero : Stopwatch.GetElapsedTime(nowTimestamp, ToStopwatchTimestamp(tag));
}
