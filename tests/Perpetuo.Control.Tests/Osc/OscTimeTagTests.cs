using System.Diagnostics;
using Perpetuo.Control.Osc;

namespace Perpetuo.Control.Tests.Osc;

public class OscTimeTagTests
{
    [Fact]
    public void ImmediateIsTheValueOne()
    {
        Assert.Equal(1ul, OscTimeTag.Immediate.Value);
        Assert.True(OscTimeTag.Immediate.IsImmediate);
        Assert.False(OscTimeTag.FromParts(1, 0).IsImmediate);
    }

    [Fact]
    public void UnixEpochIsNtpSecond2208988800()
    {
        var tag = OscTimeTag.FromDateTime(DateTime.UnixEpoch);

        Assert.Equal(2_208_988_800u, tag.Seconds);
        Assert.Equal(0u, tag.Fraction);
    }

    [Fact]
    public void HalfSecondIsTheTopFractionBit()
    {
        var tag = OscTimeTag.FromDateTime(DateTime.UnixEpoch.AddMilliseconds(500));

        Assert.Equal(0x8000_0000u, tag.Fraction);
    }

    [Theory]
    [InlineData("2024-06-11T12:34:56.7891234Z")]
    [InlineData("1968-01-20T03:14:08.0000001Z")]
    [InlineData("2036-02-07T06:28:15.9999999Z")]
    [InlineData("2036-02-07T06:28:16.0000000Z")]
    [InlineData("2090-12-31T23:59:59.5000000Z")]
    public void DateTimeRoundTripsToTheTick(string iso)
    {
        DateTime time = DateTime.Parse(iso, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal);

        DateTime back = OscTimeTag.FromDateTime(time).ToDateTime();

        Assert.Equal(time, back);
        Assert.Equal(DateTimeKind.Utc, back.Kind);
    }

    [Fact]
    public void DatesOutsideTheUnambiguousSpanAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => OscTimeTag.FromDateTime(new DateTime(1950, 1, 1, 0, 0, 0, DateTimeKind.Utc)));
        Assert.Throws<ArgumentOutOfRangeException>(() => OscTimeTag.FromDateTime(new DateTime(2200, 1, 1, 0, 0, 0, DateTimeKind.Utc)));
    }

    [Fact]
    public void SubtractIsSignedAndCorrectAcrossTheEraWrap()
    {
        var beforeWrap = OscTimeTag.FromParts(uint.MaxValue, 0);
        var afterWrap = OscTimeTag.FromParts(1, 0);

        Assert.Equal(TimeSpan.FromSeconds(2), afterWrap.Subtract(beforeWrap));
        Assert.Equal(TimeSpan.FromSeconds(-2), beforeWrap.Subtract(afterWrap));
        Assert.Equal(afterWrap, beforeWrap.Add(TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public void TimeReferenceMapsTagsOntoTheStopwatchAndBack()
    {
        var reference = new OscTimeReference(OscTimeTag.FromParts(3_900_000_000, 0), 1_000_000);
        OscTimeTag oneSecondLater = reference.TimeTag.Add(TimeSpan.FromSeconds(1));

        long due = reference.ToStopwatchTimestamp(oneSecondLater);

        Assert.Equal(1_000_000 + Stopwatch.Frequency, due);
        Assert.Equal(oneSecondLater, reference.FromStopwatchTimestamp(due));
        Assert.Equal(TimeSpan.FromSeconds(1), reference.DelayUntil(oneSecondLater, 1_000_000));
        Assert.Equal(long.MinValue, reference.ToStopwatchTimestamp(OscTimeTag.Immediate));
    }

    [Fact]
    public void CapturedReferenceAgreesWithTheWallClock()
    {
        OscTimeReference reference = OscTimeReference.CaptureNow();

        TimeSpan skew = reference.TimeTag.ToDateTime() - DateTime.UtcNow;

        Assert.InRange(skew.Duration(), TimeSpan.Zero, TimeSpan.FromSeconds(5));
    }
}
