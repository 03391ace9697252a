namespace Perpetuo.Dsp;

/// <summary>
/// Commands waiting for the next block, in a fixed array allocated with the host. Full-queue policy: the new
/// command is rejected (and counted by the host), never an accepted one dropped. Not thread-safe: the worker
/// drains its command ring into this queue and renders on the same thread.
/// </summary>
internal sealed class CommandQueue
{
    private readonly DspCommand[] _items;

    public CommandQueue(int capacity) => _items = new DspCommand[capacity];

    public int Count { get; private set; }

    public int Capacity => _items.Length;

    public ref readonly DspCommand this[int index] => ref _items[index];

    /// <remarks>Allocation-free. Returns false when full.</remarks>
    public bool TryAdd(in DspCommand command)
    {
        if (Count == _items.Length)
        {
            return false;
        }

        _items[Count++] = command;
        return true;
    }

    /// <summary>Stable insertion sort by FrameOffset: commands at the same frame keep their queue order.</summary>
    /// <remarks>Allocation-free; commands usually arrive nearly sorted, where insertion sort is linear.</remarks>
    public void SortByFrameOffset()
    {
        for (int i = 1; i < Count; i++)
        {
            DspCommand item = _items[i];
            int j = i;
            while (j > 0 && _items[j - 1].FrameOffset > item.FrameOffset)
            {
                _items[j] = _items[j - 1];
                j--;
            }

            _items[j] = item;
        }
    }

    /// <summary>Forgets all commands and their string references.</summary>
    public void Clear()
    {
        Array.Clear(_items, 0, Count);
        Count = 0;
    }
}
