using Perpetuo.Transport;

namespace Perpetuo.Supervisor.Control;

/// <summary>
/// Every accepted command, stamped, in stamp order, for the life of the engine: the source each slot's command
/// ring is fed from, and what a respawned worker is replayed from (from its snapshot's block, or from block 0
/// when there was no survivor). Control thread only.
/// </summary>
internal sealed class CommandLog
{
    private CommandRecord[] _items = new CommandRecord[4096];

    public int Count { get; private set; }

    public ref readonly CommandRecord this[int index] => ref _items[index];

    /// <summary>Stamp of the newest entry, or -1.</summary>
    public long LastStamp => Count == 0 ? -1 : _items[Count - 1].ApplyBlock;

    public void Append(in CommandRecord record)
    {
        if (record.ApplyBlock < LastStamp)
        {
            throw new InvalidOperationException("command log must stay in stamp order");
        }
        if (Count == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }
        _items[Count++] = record;
    }

    /// <summary>Index of the first entry stamped at or after <paramref name="block"/>.</summary>
    public int FirstAtOrAfter(long block)
    {
        int lo = 0, hi = Count;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_items[mid].ApplyBlock < block)
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
}
