using System.Diagnostics;

namespace Perpetuo.Supervisor.Control;

// Flood control for the events the callback reports per block: a long silence underruns ~190 times a second.
public sealed partial class Engine
{
    /// <summary>The quiet time that ends a run of one event kind, and the least time between its summary lines.</summary>
    private static readonly long FloodInterval = Stopwatch.Frequency;

    // One underrun line per silence; a few failovers or divergences in full (each is news), then summaries.
    private readonly EventCoalescer _underrunLines = new(FloodInterval, fullLines: 1);
    private readonly EventCoalescer _failoverLines = new(FloodInterval, fullLines: 4);
    private readonly EventCoalescer _divergenceLines = new(FloodInterval, fullLines: 4);

    /// <summary>Writes the event in full or counts it into its kind's summary. Control thread.</summary>
    private void WriteCoalesced(EventCoalescer lines, string kind, long seq, int slot, params (string Name, object? Value)[] fields)
    {
        bool full = lines.Add(seq, Stopwatch.GetTimestamp(), out EventBurst due);
        WriteSummary(kind, due);
        if (full)
        {
            Events.Write(kind, seq, slot, fields);
        }
    }

    /// <summary>Writes the summaries that are due (every tick), or all held back (<paramref name="all"/>: at shutdown).</summary>
    private void FlushEventFloods(bool all)
    {
        long now = Stopwatch.GetTimestamp();
        FlushEventFlood(_underrunLines, "underrun", now, all);
        FlushEventFlood(_failoverLines, "failover", now, all);
        FlushEventFlood(_divergenceLines, "divergence", now, all);
    }

    private void FlushEventFlood(EventCoalescer lines, string kind, long now, bool all)
    {
        EventBurst burst;
        if (all ? lines.TryFlushAll(out burst) : lines.TryFlush(now, out burst))
        {
            WriteSummary(kind, burst);
        }
    }

    /// <summary>One summary line: <c>{"event":"underruns","seq":LAST,"count":N,"first":F,"last":LAST}</c>.</summary>
    private void WriteSummary(string kind, EventBurst burst)
    {
        if (burst.Count > 0)
        {
            Events.Write(kind + "s", burst.Last, -1, ("count", burst.Count), ("first", burst.First), ("last", burst.Last));
        }
    }
}
