using System.Buffers.Binary;

namespace Perpetuo.Lv2;

/// <summary>
/// The events of a sequence a plugin wrote, read with every length checked against the bytes it has: an event whose
/// header or body would reach past them ends the reading (garbage is never followed). <c>foreach</c> it.
/// </summary>
/// <remarks>Worker render thread. Allocation-free (a ref struct over the buffer).</remarks>
public readonly ref struct Lv2AtomEvents
{
    private readonly ReadOnlySpan<byte> _events;

    internal Lv2AtomEvents(ReadOnlySpan<byte> events) => _events = events;

    public Enumerator GetEnumerator() => new(_events);

    /// <summary>One event: its frame in the run, its body's type and bytes.</summary>
    public readonly ref struct Event(long frame, uint type, ReadOnlySpan<byte> body)
    {
        public long Frame { get; } = frame;

        public uint Type { get; } = type;

        public ReadOnlySpan<byte> Body { get; } = body;
    }

    /// <summary>Walks the events in order.</summary>
    public ref struct Enumerator
    {
        private readonly ReadOnlySpan<byte> _events;
        private int _next;

        internal Enumerator(ReadOnlySpan<byte> events) => _events = events;

        public Event Current { get; private set; }

        public bool MoveNext()
        {
            if (_next < 0 || _events.Length - _next < Lv2AtomBuffer.EventHeaderBytes)
            {
                return false;
            }
            ReadOnlySpan<byte> e = _events[_next..];
            long frame = BinaryPrimitives.ReadInt64LittleEndian(e);
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(e[8..]);
            uint type = BinaryPrimitives.ReadUInt32LittleEndian(e[12..]);
            if (size > (uint)(e.Length - Lv2AtomBuffer.EventHeaderBytes))
            {
                _next = -1; // a body past the sequence: garbage, stop here
                return false;
            }
            Current = new Event(frame, type, e.Slice(Lv2AtomBuffer.EventHeaderBytes, (int)size));
            long step = (Lv2AtomBuffer.EventHeaderBytes + size + 7) & ~7L;
            _next = step >= e.Length ? _events.Length : _next + (int)step;
            return true;
        }
    }
}
