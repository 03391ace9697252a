namespace Perpetuo.Dsp;

/// <summary>
/// The events of one segment, sorted by frame, that modules see in chain order: note commands are added at the
/// segment start, and a <c>seq</c> module appends what it plays so later modules hear it.
/// Design: a fixed array allocated with the host; insertion keeps frame order and is stable (an event added
/// later at the same frame comes after, so a NoteOff emitted before a NoteOn stays first).
/// </summary>
internal sealed class NoteEventList
{
    private readonly NoteEvent[] _items;

    public NoteEventList(int capacity) => _items = new NoteEvent[capacity];

    /// <summary>
    /// The events one segment of a host with blocks of <paramref name="maxBlockFrames"/> can carry: every command of a
    /// block (<see cref="Perpetuo.Protocol.Limits.CommandsPerBlock"/>) plus what a few sequencers emit in one block.
    /// </summary>
    public static int CapacityFor(int maxBlockFrames) => Perpetuo.Protocol.Limits.CommandsPerBlock + 256 + (maxBlockFrames / 8);

    public int Count { get; private set; }

    /// <summary>Events dropped because the list was full (should stay 0).</summary>
    public long Dropped { get; private set; }

    public ref readonly NoteEvent this[int index] => ref _items[index];

    /// <remarks>Audio thread. Allocation-free.</remarks>
    public void Clear() => Count = 0;

    /// <summary>Inserts in frame order after any event at the same frame.</summary>
    /// <remarks>Audio thread. Allocation-free. Drops (and counts) when full.</remarks>
    public void Add(in NoteEvent e)
    {
        if (Count == _items.Length)
        {
            Dropped++;
            return;
        }

        int i = Count;
        while (i > 0 && _items[i - 1].Frame > e.Frame)
        {
            _items[i] = _items[i - 1];
            i--;
        }

        _items[i] = e;
        Count++;
    }
}
