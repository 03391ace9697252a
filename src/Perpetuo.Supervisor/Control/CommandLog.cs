using Perpetuo.Transport;

namespace Perpetuo.Supervisor.Control;

/// <summary>
/// Every accepted command, stamped, in stamp order, for the life of the engine: the source each slot's command
/// ring is fed from, and what a respawned worker is replayed from (from its snapshot's block, or from block 0
/// when there was no survivor). Control thread only.
/// </summary>
/// <remarks>
/// Sized up front for 65,536 commands (8 MiB, an 18-minute session at 60 commands/s, or 65 s at 1,000/s), so the
/// audio process does not reallocate it while it plays; past that it doubles. Bounding it by periodic checkpoints
/// (a snapshot kept by the supervisor, so a cold restart replays from there instead of from block 0) is the next
/// step for sessions that last days.
/// </remarks>
internal sealed class CommandLog
{
    private CommandRecord[] _items = new CommandRecord[65536];

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
