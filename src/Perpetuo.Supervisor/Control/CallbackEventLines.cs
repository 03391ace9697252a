using System.Diagnostics;

namespace Perpetuo.Supervisor.Control;

/// <summary>
/// The event-file lines for what the audio callback reports per block — underruns, failovers, divergences — with
/// flood control: a long silence underruns ~190 times a second.
/// </summary>
/// <remarks>
/// Design: one <see cref="EventCoalescer"/> per kind. One underrun line per silence; a few failovers or divergences
/// in full (each is news); the rest as summary lines, <c>{"event":"underruns","seq":LAST,"count":N,"first":F,
/// "last":LAST}</c>, at most one per <see cref="FloodInterval"/> while a run lasts, and every held-back one at
/// shutdown (<see cref="FlushAll"/>). Invariant (<c>CallbackEventLinesTests</c>): for each kind, its full lines plus
/// its summaries' counts equal the events reported, and no block is in two lines. Time is an input, so tests use a
/// fake clock. Control thread only (then the disposing thread, after it).
/// </remarks>
public sealed class CallbackEventLines
{
    /// <summary>The quiet time that ends a run of one event kind, and the least time between its summary lines.</summary>
    public static readonly long FloodInterval = Stopwatch.Frequency;

    private readonly EventLog _log;
    private readonly EventCoalescer _underruns;
    private readonly EventCoalescer _failovers;
    private readonly EventCoalescer _divergences;

    /// <param name="log">Where the lines go.</param>
    /// <param name="interval">The flood interval in the ticks of the times passed in (<see cref="FloodInterval"/> for Stopwatch ticks).</param>
    public CallbackEventLines(EventLog log, long interval)
    {
        ArgumentNullException.ThrowIfNull(log);
        _log = log;
        _underruns = new EventCoalescer(interval, fullLines: 1);
        _failovers = new EventCoalescer(interval, fullLines: 4);
        _divergences = new EventCoalescer(interval, fullLines: 4);
    }

    /// <summary>The callback had no block to play at <paramref name="seq"/>.</summary>
    public void Underrun(long seq, long now) => Add(_underruns, "underrun", seq, -1, now);

    /// <summary>The callback switched from slot <paramref name="from"/> to <paramref name="to"/> at <paramref name="seq"/>.</summary>
    public void Failover(long seq, int from, int to, long now) => Add(_failovers, "failover", seq, -1, now, ("from", from), ("to", to));

    /// <summary>Slot <paramref name="slot"/>'s block <paramref name="seq"/> differed from the one played (from <paramref name="playedFrom"/>).</summary>
    public void Divergence(long seq, int slot, int playedFrom, long now) =>
        Add(_divergences, "divergence", seq, slot, now, ("played_from", playedFrom));

    /// <summary>Writes the summaries that are due. Every tick.</summary>
    public void Flush(long now)
    {
        EventBurst burst;
        if (_underruns.TryFlush(now, out burst)) { WriteSummary("underrun", burst); }
        if (_failovers.TryFlush(now, out burst)) { WriteSummary("failover", burst); }
        if (_divergences.TryFlush(now, out burst)) { WriteSummary("divergence", burst); }
    }

    /// <summary>Writes every summary held back, due or not: at shutdown, so the file's counts add up.</summary>
    public void FlushAll()
    {
        EventBurst burst;
        if (_underruns.TryFlushAll(out burst)) { WriteSummary("underrun", burst); }
        if (_failovers.TryFlushAll(out burst)) { WriteSummary("failover", burst); }
        if (_divergences.TryFlushAll(out burst)) { WriteSummary("divergence", burst); }
    }

    private void Add(EventCoalescer lines, string kind, long seq, int slot, long now, params (string Name, object? Value)[] fields)
    {
        bool full = lines.Add(seq, now, out EventBurst due);
        WriteSummary(kind, due); // a summary due before this event comes first, so the file stays in block order
        if (full)
        {
            _log.Write(kind, seq, slot, fields);
        }
    }

    private void WriteSummary(string kind, EventBurst burst)
    {
        if (burst.Count > 0)
        {
            _log.Write(kind + "s", burst.Last, -1, ("count", burst.Count), ("first", burst.First), ("last", burst.Last));
        }
    }
}
