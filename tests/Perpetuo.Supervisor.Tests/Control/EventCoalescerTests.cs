using Perpetuo.Supervisor.Control;

namespace Perpetuo.Supervisor.Tests.Control;

public sealed class EventCoalescerTests
{
    private const long Second = 1_000_000; // fake ticks

    [Fact]
    public void TenThousandUnderrunsInTwoSecondsWriteAFewLinesWhoseCountsAddUpExactly()
    {
        var c = new EventCoalescer(Second);
        var lines = new List<(long Count, long First, long Last)>();
        long now = 0;
        for (long seq = 100; seq < 10_100; seq++)
        {
            now += 2 * Second / 10_000; // 10,000 in 2 s of fake time, one control tick each
            Take(c.TryFlush(now, out EventBurst due), due, lines);
            if (c.Add(seq, now, out due))
            {
                Take(true, due, lines);
                lines.Add((1, seq, seq));
            }
            else
            {
                Take(due.Count > 0, due, lines);
            }
        }
        for (int tick = 0; tick < 3000; tick++) // the silence is over: ticks go on, no more underruns
        {
            now += Second / 1000;
            Take(c.TryFlush(now, out EventBurst due), due, lines);
        }
        Assert.InRange(lines.Count, 2, 4);
        Assert.Equal((1, 100, 100), lines[0]); // the first underrun of the run, exactly
        Assert.Equal(10_000, lines.Sum(l => l.Count));
        Assert.Equal(10_000, c.Total);
        Assert.Equal(10_099, lines[^1].Last);
        for (int i = 1; i < lines.Count; i++)
        {
            Assert.Equal(lines[i - 1].Last + 1, lines[i].First); // no block lost or counted twice between lines
        }
    }

    [Fact]
    public void EventsFurtherApartThanTheIntervalAreEachWrittenInFull()
    {
        var c = new EventCoalescer(Second);
        for (int i = 0; i < 5; i++)
        {
            Assert.True(c.Add(i * 1000, i * 2 * Second, out EventBurst due));
            Assert.Equal(0, due.Count);
        }
    }

    [Fact]
    public void TheFirstFewOfARunAreWrittenInFullWhenAskedAndTheRestSummarisedWhenTheRunEnds()
    {
        var c = new EventCoalescer(Second, fullLines: 4);
        int full = 0;
        for (int i = 0; i < 10; i++)
        {
            full += c.Add(i, i * 10, out _) ? 1 : 0;
        }
        Assert.Equal(4, full);
        Assert.False(c.TryFlush(Second / 2, out _)); // not yet an interval since the last line
        Assert.True(c.TryFlush(2 * Second, out EventBurst rest));
        Assert.Equal(new EventBurst(6, 4, 9), rest);
        Assert.False(c.TryFlushAll(out _));
    }

    [Fact]
    public void AtShutdownWhatIsHeldBackIsHandedOutEvenIfNotDue()
    {
        var c = new EventCoalescer(Second);
        c.Add(1, 0, out _);
        c.Add(2, 1, out _);
        c.Add(3, 2, out _);
        Assert.False(c.TryFlush(3, out _));
        Assert.True(c.TryFlushAll(out EventBurst rest));
        Assert.Equal(new EventBurst(2, 2, 3), rest);
    }

    private static void Take(bool any, EventBurst burst, List<(long, long, long)> lines)
    {
        if (any && burst.Count > 0)
        {
            lines.Add((burst.Count, burst.First, burst.Last));
        }
    }
}
