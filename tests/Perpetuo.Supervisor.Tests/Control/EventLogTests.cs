using System.Text.Json;
using Perpetuo.Supervisor.Control;

namespace Perpetuo.Supervisor.Tests.Control;

public sealed class EventLogTests : IDisposable
{
    private readonly string _path = Path.GetTempFileName();

    [Fact]
    public void OnAFullDiskLinesAreCountedLostTheLossIsReportedOnceAndEventsStillReachTheLogAndStatus()
    {
        using var log = new EventLog("/dev/full");
        var seen = new List<EventLine>();
        log.Written += seen.Add;
        for (int i = 0; i < 20; i++)
        {
            log.Write("started", i, 0, ("pid", 100 + i));
        }
        Assert.Equal(20, log.LinesLost);
        Assert.Equal(1, log.Count("events_write_failed"));
        Assert.Equal(20, log.Count("started"));
        Assert.Equal(21, seen.Count); // every event still reaches the logger, plus the one failure report
        Assert.Contains(log.RecentLines(32), l => l.Contains("events_write_failed", StringComparison.Ordinal));
    }

    [Fact]
    public void EachLineIsOneJsonObjectAndTheLoggerGetsTheSameFieldsWithoutParsingIt()
    {
        EventLine? last = null;
        using (var log = new EventLog(_path))
        {
            log.Written += e => last = e;
            log.Write("failover", 42, -1, ("from", 0), ("to", 1));
            log.Write("hung", 43, 1, ("pid", 7), ("silent_ms", 12.5));
            Assert.Equal(0, log.LinesLost);
        }
        string[] lines = File.ReadAllLines(_path);
        Assert.Equal(2, lines.Length);
        using JsonDocument doc = JsonDocument.Parse(lines[1]);
        Assert.Equal("hung", doc.RootElement.GetProperty("event").GetString());
        Assert.Equal(12.5, doc.RootElement.GetProperty("silent_ms").GetDouble());
        Assert.NotNull(last);
        Assert.Equal(("hung", 43L, 1), (last.Kind, last.Seq, last.Slot));
        Assert.Equal(lines[1], last.Json);
        Assert.Equal([("pid", (object?)7), ("silent_ms", 12.5)], last.Fields);
    }

    public void Dispose() => File.Delete(_path);
}
