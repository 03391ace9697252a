using Perpetuo.Supervisor.Control;

namespace Perpetuo.Supervisor.Tests.Control;

public sealed class CallbackEventLinesTests
{
    private const long Second = 1000; // fake ticks: one per millisecond

    private static (EventLog Log, List<EventLine> Lines) NewLog()
    {
        var log = new EventLog(null);
        var lines = new List<EventLine>();
        log.Written += lines.Add;
        return (log, lines);
    }

    /// <summary>The blocks each line of <paramref name="kind"/> stands for: one for a full line, first..last for a summary.</summary>
    private static List<(long First, long Last, long Count)> Spans(List<EventLine> lines, string kind) =>
        lines.Where(l => l.Kind == kind || l.Kind == kind + "s")
             .Select(l => l.Kind == kind
                 ? (l.Seq, l.Seq, 1L)
                 : ((long)l.Fields.Single(f => f.Name == "first").Value!, (long)l.Fields.Single(f => f.Name == "last").Value!,
                    (long)l.Fields.Single(f => f.Name == "count").Value!))
             .ToList();

    [Fact]
    public void ASilenceOfThreeSecondsIsOneUnderrunLineAndAFewSummariesThatAccountForEveryBlockOnce()
    {
        (EventLog log, List<EventLine> lines) = NewLog();
        var c = new CallbackEventLines(log, Second);
        long now = 0;
        for (long seq = 500; seq < 500 + 3 * 188; seq++) // 64-frame blocks for 3 s: 188 a second, one tick each
        {
            now += Second / 188;
            c.Underrun(seq, now);
            c.Flush(now);
        }
        for (int tick = 0; tick < 1500; tick++)
        {
            c.Flush(now += 1); // the silence is over; its last summary comes once an interval has passed
        }
        Assert.Single(lines, l => l.Kind == "underrun");
        List<(long First, long Last, long Count)> spans = Spans(lines, "underrun");
        Assert.InRange(spans.Count, 3, 5);
        Assert.Equal(3 * 188, spans.Sum(s => s.Count));
        Assert.Equal(500, spans[0].First);
        Assert.Equal(500 + 3 * 188 - 1, spans[^1].Last);
        for (int i = 1; i < spans.Count; i++)
        {
            Assert.Equal(spans[i - 1].Last + 1, spans[i].First); // no block in two lines, none left out
            Assert.Equal(spans[i].Last - spans[i].First + 1, spans[i].Count);
        }
    }

    [Fact]
    public void FourFailoversOfARunAreWrittenInFullTheRestSummarisedAndOneAfterAQuietSecondInFullAgain()
    {
        (EventLog log, List<EventLine> lines) = NewLog();
        var c = new CallbackEventLines(log, Second);
        for (int i = 0; i < 10; i++)
        {
            c.Failover(100 + i, i % 2, 1 - i % 2, now: i);
        }
        c.Failover(5000, 1, 0, now: 10 + 2 * Second);
        c.FlushAll();
        List<EventLine> full = lines.Where(l => l.Kind == "failover").ToList();
        Assert.Equal([100L, 101, 102, 103, 5000], full.Select(l => l.Seq));
        Assert.Equal((0, 1), ((int)full[0].Fields[0].Value!, (int)full[0].Fields[1].Value!));
        EventLine summary = Assert.Single(lines, l => l.Kind == "failovers");
        Assert.Equal(6L, summary.Fields.Single(f => f.Name == "count").Value);
        Assert.True(lines.IndexOf(summary) < lines.IndexOf(full[^1])); // the old run's summary before the new run's line
    }

    [Fact]
    public void KindsAreCountedApartAndFlushAllLeavesNothingHeldBack()
    {
        (EventLog log, List<EventLine> lines) = NewLog();
        var c = new CallbackEventLines(log, Second);
        for (long seq = 0; seq < 300; seq++)
        {
            c.Underrun(seq, now: seq);
            if (seq % 3 == 0)
            {
                c.Divergence(seq, slot: 1, playedFrom: 0, now: seq);
            }
        }
        c.FlushAll();
        Assert.Equal(300, Spans(lines, "underrun").Sum(s => s.Count));
        Assert.Equal(100, Spans(lines, "divergence").Sum(s => s.Count));
        Assert.Equal(4, lines.Count(l => l.Kind == "divergence"));
        Assert.All(lines.Where(l => l.Kind == "divergence"), l => Assert.Equal(1, l.Slot));
        c.FlushAll();
        Assert.Equal(300, Spans(lines, "underrun").Sum(s => s.Count)); // nothing twice
    }
}
