using Perpetuo.Transport;

namespace Perpetuo.Supervisor.Control;

/// <summary>
/// Every accepted command, stamped, in stamp order, since the oldest checkpoint the engine keeps: the source each
/// slot's command ring is fed from, and what a respawned worker is replayed from (from its snapshot's block).
/// Control thread only.
/// </summary>
/// <remarks>
/// Indices are absolute — the n-th command ever logged keeps index n — so slot cursors stay valid when the head
/// is dropped. Once a checkpoint covers the commands before some block, <see cref="DropBefore"/> moves the kept
/// tail to the front of the same array: the log's memory is bounded by the commands of a checkpoint interval (plus
/// the render horizon), not by the session's length. Sized up front for 65,536 commands (8 MiB: a 10 s checkpoint
/// interval at 6,500 commands/s) so the audio process does not reallocate it while it plays; past that it doubles.
/// </remarks>
internal sealed class CommandLog
{
    private CommandRecord[] _items;
    private long _first; // absolute index of _items[0]
    private int _held;   // entries in _items

    public CommandLog(int initialCapacity = 65536) => _items = new CommandRecord[initialCapacity];

    /// <summary>Commands ever logged: the absolute index the next one gets.</summary>
    public long Count => _first + _held;

    /// <summary>Absolute index of the oldest command still held (commands before it were dropped).</summary>
    public long First => _first;

    /// <summary>Commands held in memory now.</summary>
    public int Held => _held;

    /// <summary>The command with absolute index <paramref name="index"/> (from <see cref="First"/> to <see cref="Count"/> - 1).</summary>
    public ref readonly CommandRecord this[long index]
    {
        get
        {
            if (index < _first || index >= Count)
            {
                throw new ArgumentOutOfRangeException(nameof(index), index, $"the log holds {_first}..{Count - 1}");
            }
            return ref _items[index - _first];
        }
    }

    /// <summary>Stamp of the newest entry, or -1 if none is held.</summary>
    public long LastStamp => _held == 0 ? -1 : _items[_held - 1].ApplyBlock;

    public void Append(in CommandRecord record)
    {
        if (record.ApplyBlock < LastStamp)
        {
            throw new InvalidOperationException("command log must stay in stamp order");
        }
        if (_held == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }
        _items[_held++] = record;
    }

    /// <summary>
    /// Inserts <paramref name="record"/> after every held entry stamped at or before its block, and returns its
    /// absolute index; the entries after it move up by one. Only for a record no slot has been sent past yet (a
    /// quarantine at the block every worker failed at): a slot cursor beyond the returned index is now one short.
    /// </summary>
    public long InsertAtStamp(in CommandRecord record)
    {
        int at = StampOrder.FirstAtOrAfter(_items.AsSpan(0, _held), record.ApplyBlock + 1);
        if (_held == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }
        Array.Copy(_items, at, _items, at + 1, _held - at);
        _items[at] = record;
        _held++;
        return _first + at;
    }

    /// <summary>Absolute index of the first held entry stamped at or after <paramref name="block"/> (<see cref="Count"/> if none).</summary>
    public long FirstAtOrAfter(long block) => _first + StampOrder.FirstAtOrAfter(_items.AsSpan(0, _held), block);

    /// <summary>Forgets every entry before absolute index <paramref name="index"/>; returns how many were dropped.</summary>
    public int DropBefore(long index)
    {
        int drop = (int)Math.Clamp(index - _first, 0, _held);
        if (drop > 0)
        {
            Array.Copy(_items, drop, _items, 0, _held - drop); // records hold no references: nothing to clear
            _held -= drop;
            _first += drop;
        }
        return drop;
    }
}
