using System.Collections.Concurrent;
using System.Text;

namespace Perpetuo.Web;

// Design: what pages show is a handful of latest states (the link, the levels, the modules, the status, the patch
// list) and a numbered timeline. Each state is published as one immutable UTF-8 message, serialized once for all
// pages; a page sends the newest one of each kind that it has not sent yet, so a slow page skips states instead of
// queueing them. Memory per page is therefore bounded whatever it does (its reply queue is bounded too), and ten or
// a hundred pages cost the engine nothing more than one: the engine is asked by the link alone.

/// <summary>The kinds of state a page is sent (the <c>"t"</c> of each message).</summary>
public enum StateKind
{
    Link,
    Levels,
    Modules,
    Status,
    Patches,
}

/// <summary>The states every page shows, and the pages.</summary>
/// <remarks>Thread-safe.</remarks>
public sealed class PageHub(WebLimits limits)
{
    private static readonly int Kinds = Enum.GetValues<StateKind>().Length;

    private readonly byte[]?[] _states = new byte[Kinds][];
    private readonly ConcurrentDictionary<PageConnection, byte> _pages = new();
    private int _count;

    public WebLimits Limits { get; } = limits;

    /// <summary>The timeline every page shows.</summary>
    public Timeline Timeline { get; } = new(limits.TimelineEntries);

    /// <summary>Pages open now.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>The newest message of <paramref name="kind"/>, or null before the first.</summary>
    public byte[]? State(StateKind kind) => Volatile.Read(ref _states[(int)kind]);

    /// <summary>Publishes a state (a JSON object, its <c>"t"</c> included) and wakes every page.</summary>
    public void Publish(StateKind kind, string json)
    {
        Volatile.Write(ref _states[(int)kind], Encoding.UTF8.GetBytes(json));
        WakeAll();
    }

    /// <summary>Adds a timeline note and wakes every page.</summary>
    public void Note(string kind, string severity, string text)
    {
        Timeline.AddNote(kind, severity, text);
        WakeAll();
    }

    /// <summary>Wakes every page (a state or the timeline changed).</summary>
    public void WakeAll()
    {
        foreach (PageConnection page in _pages.Keys)
        {
            page.Wake();
        }
    }

    /// <summary>Takes a place for a new page; false when <see cref="WebLimits.MaxPages"/> are open.</summary>
    public bool TryReserve()
    {
        if (Interlocked.Increment(ref _count) <= Limits.MaxPages)
        {
            return true;
        }
        Interlocked.Decrement(ref _count);
        return false;
    }

    /// <summary>Gives back a place taken by <see cref="TryReserve"/>.</summary>
    public void Release() => Interlocked.Decrement(ref _count);

    public void Add(PageConnection page) => _pages.TryAdd(page, 0);

    public void Remove(PageConnection page) => _pages.TryRemove(page, out _);

    /// <summary>Every open page (to close them at shutdown).</summary>
    public IReadOnlyCollection<PageConnection> Pages => [.. _pages.Keys];
}
