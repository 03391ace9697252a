namespace Perpetuo.Supervisor.Control;

/// <summary>
/// Decides which events of one kind get a line of their own and which are only counted into a summary line, so a
/// flood (an underrun every block through a long silence: ~190 a second) writes a few lines, not a GB a day.
/// Control thread only; pure: time is an input, so a test drives it with a fake clock.
/// </summary>
/// <remarks>
/// Design: a run is a series of events less than one interval apart. The first <c>fullLines</c> events of a run are
/// written in full (the first underrun of a silence keeps its exact block). The rest are counted, and the count is
/// handed out as an <see cref="EventBurst"/> (count, first and last block) at most once per interval while the run
/// lasts, and once more when it has ended (an interval with no event), so every event is either a line or in exactly
/// one summary: lines plus summary counts always equal <see cref="Total"/>. Nothing here decides what the engine
/// does about an event (a divergence still replaces its worker every time); only what gets written.
/// </remarks>
public sealed class EventCoalescer
{
    private readonly long _interval;
    private readonly int _fullLines;
    private bool _anyYet;
    private long _lastEventAt;
    private long _lastLineAt;
    private int _fullInRun;
    private long _pending;
    private long _pendingFirst;
    private long _pendingLast;

    /// <param name="intervalTicks">The quiet time that ends a run, and the least time between two summaries.</param>
    /// <param name="fullLines">How many events at the start of a run get a line of their own (at least 1).</param>
    public EventCoalescer(long intervalTicks, int fullLines = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(intervalTicks);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fullLines);
        _interval = intervalTicks;
        _fullLines = fullLines;
    }

    /// <summary>Events seen, written or summarised.</summary>
    public long Total { get; private set; }

    /// <summary>
    /// Takes one event at block <paramref name="seq"/> and time <paramref name="now"/>. Returns true if it gets a line
    /// of its own. Before that, <paramref name="due"/> may hold a summary that must be written first (Count 0: none).
    /// </summary>
    public bool Add(long seq, long now, out EventBurst due)
    {
        TryFlush(now, out due);
        Total++;
        if (!_anyYet || now - _lastEventAt >= _interval)
        {
            _fullInRun = 0; // a new run (any summary of the old one was handed out just above)
        }
        _anyYet = true;
        _lastEventAt = now;
        if (_fullInRun < _fullLines)
        {
            _fullInRun++;
            _lastLineAt = now;
            return true;
        }
        if (_pending == 0)
        {
            _pendingFirst = seq;
        }
        _pending++;
        _pendingLast = seq;
        return false;
    }

    /// <summary>
    /// A summary of the held-back events, if one is due: an interval since the last line (so at most one a second
    /// while a run lasts; a run that ended is always due). Call once per control tick. False: nothing to write.
    /// </summary>
    public bool TryFlush(long now, out EventBurst summary)
    {
        if (_pending == 0 || now - _lastLineAt < _interval)
        {
            summary = default;
            return false;
        }
        summary = new EventBurst(_pending, _pendingFirst, _pendingLast);
        _pending = 0;
        _lastLineAt = now;
        return true;
    }

    /// <summary>Hands out whatever is held back, due or not (at shutdown, so the file's counts add up).</summary>
    public bool TryFlushAll(out EventBurst summary)
    {
        summary = new EventBurst(_pending, _pendingFirst, _pendingLast);
        _pending = 0;
        return summary.Count > 0;
    }
}
