using Perpetuo.Transport;

namespace Perpetuo.Supervisor.Control;

/// <summary>
/// Every accepted command, stamped, in stamp order, since the oldest checkpoint the engine keeps: the source each
/// slot's command ring is fed from, and what a respawned worker is replayed from (from its snapshot's block).
/// Control thread only.
/// </summary>
/// <remarks>
/// Indices are absolute — the n-th command ever logged keeps index n — so slot cursors stay valid when the head
/// is dropped. The newest commands are in a window of fixed size in managed memory, used as a ring (nothing is
/// ever moved to drop or add one); once a checkpoint covers the commands before some block, <see cref="DropBefore"/>
/// forgets them. A plugin session takes no checkpoint (no snapshot of a plugin can be taken), so it keeps every
/// command since its first plugin: with a <see cref="CommandSpill"/> the window's oldest commands move to it when the
/// window is full, and the log's memory stays the window's whatever the session's length. Without one (or once it
/// refuses: a full disk) a full window doubles — garbage for the collector, and said by <see cref="SpillProblem"/>.
/// </remarks>
internal sealed class CommandLog
{
    /// <summary>Records moved to the spill at once when the window is full (128 KiB: a few pages, well under a tick).</summary>
    public const int SpillChunk = 1024;

    private readonly CommandSpill? _spill;
    private CommandRecord[] _window;
    private long _first;    // absolute index of the oldest held command
    private long _inWindow; // absolute index of the oldest command in the window (>= _first); older held ones are spilled
    private long _count;

    public CommandLog(int window = Perpetuo.Protocol.Limits.CommandLogWindow, CommandSpill? spill = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(window);
        _window = new CommandRecord[window];
        _spill = spill;
    }

    /// <summary>Commands ever logged: the absolute index the next one gets.</summary>
    public long Count => _count;

    /// <summary>Absolute index of the oldest command still held (commands before it were dropped).</summary>
    public long First => _first;

    /// <summary>Commands held, in memory and spilled.</summary>
    public long Held => _count - _first;

    /// <summary>Commands held in the managed window.</summary>
    public int InMemory => (int)(_count - _inWindow);

    /// <summary>Commands held in the spill on disk.</summary>
    public long Spilled => _inWindow - _first;

    /// <summary>The window's size now (it grows only without a working spill).</summary>
    public int WindowSize => _window.Length;

    /// <summary>Why the log keeps its commands in memory although it was given a spill ("" while it spills).</summary>
    public string SpillProblem { get; private set; } = "";

    /// <summary>The command with absolute index <paramref name="index"/> (from <see cref="First"/> to <see cref="Count"/> - 1).</summary>
    public ref readonly CommandRecord this[long index]
    {
        get
        {
            if (index < _first || index >= _count)
            {
                throw new ArgumentOutOfRangeException(nameof(index), index, $"the log holds {_first}..{_count - 1}");
            }
            return ref index >= _inWindow ? ref _window[index % _window.Length] : ref _spill![index];
        }
    }

    /// <summary>Stamp of the newest entry, or -1 if none is held.</summary>
    public long LastStamp => _count == _first ? -1 : this[_count - 1].ApplyBlock;

    public void Append(in CommandRecord record)
    {
        if (record.ApplyBlock < LastStamp)
        {
            throw new InvalidOperationException("command log must stay in stamp order");
        }
        MakeRoom();
        _window[_count % _window.Length] = record;
        _count++;
    }

    /// <summary>
    /// Inserts <paramref name="record"/> after every held entry stamped at or before its block, and returns its
    /// absolute index; the entries after it move up by one. Only for a record no slot has been sent past yet (a
    /// quarantine at the block every worker failed at): a slot cursor beyond the returned index is now one short.
    /// </summary>
    public long InsertAtStamp(in CommandRecord record)
    {
        MakeRoom();
        long at = FirstAtOrAfter(record.ApplyBlock + 1);
        if (at < _inWindow)
        {
            // Never met: the window holds the newest minute of commands, and a quarantine is stamped at the block the
            // workers render now. Said rather than written into the spill out of order.
            throw new InvalidOperationException($"a command stamped at {record.ApplyBlock} is older than every command in memory");
        }
        int n = _window.Length;
        for (long i = _count; i > at; i--)
        {
            _window[i % n] = _window[(i - 1) % n];
        }
        _window[at % n] = record;
        _count++;
        return at;
    }

    /// <summary>Absolute index of the first held entry stamped at or after <paramref name="block"/> (<see cref="Count"/> if none).</summary>
    public long FirstAtOrAfter(long block)
    {
        long lo = _first, hi = _count; // binary search by index: the held entries span the spill and the window's ring
        while (lo < hi)
        {
            long mid = lo + ((hi - lo) / 2);
            if (this[mid].ApplyBlock < block)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        return lo;
    }

    /// <summary>Forgets every entry before absolute index <paramref name="index"/>; returns how many were dropped.</summary>
    public int DropBefore(long index)
    {
        long drop = Math.Clamp(index - _first, 0, _count - _first);
        _first += drop;
        if (_inWindow < _first)
        {
            _inWindow = _first;
        }
        _spill?.Forget(_first);
        return (int)Math.Min(drop, int.MaxValue);
    }

    /// <summary>A free place in the window: its oldest commands go to the spill, or it doubles.</summary>
    private void MakeRoom()
    {
        if (_count - _inWindow < _window.Length)
        {
            return;
        }
        if (_spill != null && SpillProblem.Length == 0 && TrySpillOldest())
        {
            return;
        }
        var grown = new CommandRecord[_window.Length * 2];
        for (long i = _inWindow; i < _count; i++)
        {
            grown[i % grown.Length] = _window[i % _window.Length];
        }
        _window = grown;
    }

    private bool TrySpillOldest()
    {
        int n = _window.Length;
        int from = (int)(_inWindow % n);
        // At most a quarter of the window (it keeps the newest commands), in one contiguous run of the ring.
        int chunk = (int)Math.Min(Math.Min(SpillChunk, Math.Max(1, n / 4)), Math.Min(_count - _inWindow, n - from));
        if (!_spill!.TryWrite(_inWindow, _window.AsSpan(from, chunk)))
        {
            SpillProblem = _spill.Problem;
            return false;
        }
        _inWindow += chunk;
        return true;
    }
}
