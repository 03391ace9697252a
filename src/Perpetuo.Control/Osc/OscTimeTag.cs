namespace Perpetuo.Control.Osc;

/// <summary>
/// An OSC time tag: a 64-bit NTP timestamp, 32 bits of seconds since 1900-01-01 00:00 UTC and 32 bits of
/// binary fraction of a second. The value 1 (<see cref="Immediate"/>) means "now".
/// </summary>
/// <remarks>
/// NTP seconds wrap on 2036-02-07. Following RFC 4330 §3, a tag whose seconds have the top bit clear is read
/// as belonging to the era that starts then, so the range 1968–2104 converts unambiguously.
/// Differences between tags (<see cref="Subtract"/>) are signed 32.32 arithmetic and are correct across the wrap.
/// </remarks>
public readonly record struct OscTimeTag(ulong Value) : IComparable<OscTimeTag>
{
    private const long TicksPerSecond = TimeSpan.TicksPerSecond;

    private static readonly DateTime Era0 = new(1900, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime Era1 = new(2036, 2, 7, 6, 28, 16, DateTimeKind.Utc);

    /// <summary>The special value 1 that the spec reserves for "execute immediately".</summary>
    public static OscTimeTag Immediate => new(1);

    /// <summary>Whole seconds since the start of the NTP era.</summary>
    public uint Seconds => (uint)(Value >> 32);

    /// <summary>Fraction of a second, in units of 2^-32 s.</summary>
    public uint Fraction => (uint)Value;

    public bool IsImmediate => Value == 1;

    public static OscTimeTag FromParts(uint seconds, uint fraction) => new(((ulong)seconds << 32) | fraction);

    /// <summary>Converts a UTC time (or a local time, converted to UTC first) to the nearest lower time tag.</summary>
    /// <exception cref="ArgumentOutOfRangeException">
    /// The time is outside 1968-01-20 03:14:08 to 2104-02-26 09:42:24 UTC, the span <see cref="ToDateTime"/>
    /// reads back unambiguously.
    /// </exception>
    public static OscTimeTag FromDateTime(DateTime time)
    {
        DateTime utc = time.Kind == DateTimeKind.Local ? time.ToUniversalTime() : time;
        if (utc < Era0.AddSeconds(1L << 31) || utc >= Era1.AddSeconds(1L << 31))
        {
            throw new ArgumentOutOfRangeException(nameof(time), time, "OSC time tags convert only from 1968 to 2104.");
        }

        long ticks = (utc - (utc >= Era1 ? Era1 : Era0)).Ticks;
        ulong seconds = (ulong)(ticks / TicksPerSecond);
        ulong fraction = ((ulong)(ticks % TicksPerSecond) << 32) / TicksPerSecond;
        return new OscTimeTag((seconds << 32) | fraction);
    }

    /// <summary>Converts to a UTC <see cref="DateTime"/>, rounding the fraction to the nearest 100 ns tick.</summary>
    public DateTime ToDateTime()
    {
        DateTime era = (Seconds & 0x8000_0000u) == 0 ? Era1 : Era0;
        long fractionTicks = (long)((((ulong)Fraction * TicksPerSecond) + (1UL << 31)) >> 32);
        return era.AddTicks((Seconds * TicksPerSecond) + fractionTicks);
    }

    /// <summary>Signed interval from <paramref name="other"/> to this tag, correct across the 2036 wrap.</summary>
    public TimeSpan Subtract(OscTimeTag other)
    {
        long diff = unchecked((long)(Value - other.Value));
        return TimeSpan.FromTicks((long)(((Int128)diff * TicksPerSecond) >> 32));
    }

    /// <summary>This tag moved by <paramref name="offset"/>.</summary>
    public OscTimeTag Add(TimeSpan offset)
    {
        long units = (long)(((Int128)offset.Ticks << 32) / TicksPerSecond);
        return new OscTimeTag(unchecked(Value + (ulong)units));
    }

    /// <summary>Orders by raw value; <see cref="Immediate"/> sorts before every real time.</summary>
    public int CompareTo(OscTimeTag other) => Value.CompareTo(other.Value);

    public static bool operator <(OscTimeTag left, OscTimeTag right) => left.Value < right.Value;

    public static bool operator >(OscTimeTag left, OscTimeTag right) => left.Value > right.Value;

    public static bool operator <=(OscTimeTag left, OscTimeTag right) => left.Value <= right.Value;

    public static bool operator >=(OscTimeTag left, OscTimeTag right) => left.Value >= right.Value;

    public override string ToString() => IsImmediate ? "immediate" : ToDateTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture);
}
