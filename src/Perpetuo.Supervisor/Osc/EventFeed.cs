using Perpetuo.Supervisor.Control;

namespace Perpetuo.Supervisor.Osc;

// Design: the engine's event log raises each line once, on the thread that writes it (the control thread while
// playing, the main thread before and after); the feed keeps references to the last Capacity lines, numbered from
// 1 in the order written, so `/perpetuo/events N` can answer "what came after N" from memory the log already
// allocated: nothing is copied or formatted, and a reader that fell more than Capacity behind is told where the
// kept lines start. The lock is uncontended (the writer and the OSC server share the control thread while
// playing) and allocation-free.

/// <summary>The last engine events, numbered, for `/perpetuo/events`.</summary>
/// <remarks>Any thread; allocation-free.</remarks>
public sealed class EventFeed
{
    /// <summary>Lines kept: as many as the event log keeps in memory.</summary>
    public const int Capacity = EventLog.RecentCapacity;

    private readonly string[] _lines = new string[Capacity];
    private readonly Lock _gate = new();
    private long _newest;

    /// <summary>The number of the newest event (0 before the first).</summary>
    public long Newest
    {
        get
        {
            lock (_gate)
            {
                return _newest;
            }
        }
    }

    /// <summary>Records one event line (subscribe it to <see cref="EventLog.Written"/>).</summary>
    public void Add(EventLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        Add(line.Json);
    }

    /// <summary>Records one event line (the JSON object, one line of the events file).</summary>
    public void Add(string json)
    {
        lock (_gate)
        {
            _newest++;
            _lines[_newest % Capacity] = json;
        }
    }

    /// <summary>
    /// The numbers of the kept events after <paramref name="after"/>: the first (the oldest kept when more were
    /// missed) and the newest; empty (first > newest) when there is none.
    /// </summary>
    public (long First, long Newest) After(long after)
    {
        lock (_gate)
        {
            long oldest = Math.Max(1, _newest - Capacity + 1);
            return (Math.Max(after + 1, oldest), _newest);
        }
    }

    /// <summary>Event number <paramref name="number"/>, or null when it is not kept (too old, or not yet written).</summary>
    public string? Line(long number)
    {
        lock (_gate)
        {
            return number >= 1 && number <= _newest && number > _newest - Capacity ? _lines[number % Capacity] : null;
        }
    }
}
