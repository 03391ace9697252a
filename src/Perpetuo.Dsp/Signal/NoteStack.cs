namespace Perpetuo.Dsp;

/// <summary>
/// Held notes in press order, for last-note priority in monophonic modules (osc follow, adsr gate).
/// Fixed capacity, allocated at configure time; when full the oldest note is forgotten.
/// </summary>
internal sealed class NoteStack
{
    public const int Capacity = 16;
    private readonly int[] _notes = new int[Capacity];

    public int Count { get; private set; }

    /// <summary>Most recently pressed note still held, or -1.</summary>
    public int Top => Count > 0 ? _notes[Count - 1] : -1;

    /// <remarks>Audio thread. Allocation-free.</remarks>
    public void Push(int note)
    {
        Remove(note);
        if (Count == Capacity)
        {
            Array.Copy(_notes, 1, _notes, 0, Capacity - 1);
            Count--;
        }

        _notes[Count++] = note;
    }

    /// <remarks>Audio thread. Allocation-free.</remarks>
    public void Remove(int note)
    {
        int i = Array.IndexOf(_notes, note, 0, Count);
        if (i < 0)
        {
            return;
        }

        Array.Copy(_notes, i + 1, _notes, i, Count - i - 1);
        Count--;
    }

    public void Clear() => Count = 0;

    public void Write(SnapshotWriter w)
    {
        w.WriteInt32(Count);
        for (int i = 0; i < Count; i++)
        {
            w.WriteInt32(_notes[i]);
        }
    }

    public void Read(ref SnapshotReader r)
    {
        Count = r.ReadInt32("held note count", 0, Capacity);
        for (int i = 0; i < Count; i++)
        {
            _notes[i] = r.ReadInt32("held note", 0, 127);
        }
    }
}
