using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Perpetuo.Lv2;

/// <summary>
/// The buffer of one atom port: an <c>LV2_Atom_Sequence</c> the host fills (an input: MIDI, patch messages) or
/// hands out empty and reads back (an output: MIDI out, the plugin's notifications to a user interface).
/// </summary>
/// <remarks>
/// Layouts (lv2/atom/atom.h; little-endian, 8-byte aligned): <c>LV2_Atom { uint32 size; uint32 type; }</c>;
/// <c>LV2_Atom_Sequence { LV2_Atom atom; uint32 unit; uint32 pad; }</c> then events, each
/// <c>LV2_Atom_Event { int64 frames; LV2_Atom body; }</c> and the body's bytes, padded to 8. An input holds an empty
/// sequence (atom.size 8: the body header alone) unless events were written for the next run, and is emptied after
/// every run; an output is reset before every run to an <c>atom:Chunk</c> whose size is the space the plugin may
/// write (LV2: the host sets atom.size to the capacity), so a plugin can never write past it however many runs
/// it is not read, and what it wrote is checked before anyone reads it: a plugin writing garbage (a size past its
/// buffer) is counted, never followed. The array is pinned and connected once. Worker render thread only, except
/// construction.
/// </remarks>
public sealed class Lv2AtomBuffer
{
    /// <summary>Bytes of the sequence header: the atom header and the sequence body's unit and pad.</summary>
    public const int HeaderBytes = 16;

    /// <summary>Bytes of an event's header: its time in frames and its body's atom header.</summary>
    public const int EventHeaderBytes = 16;

    private readonly byte[] _bytes;
    private readonly uint _sequence;
    private readonly uint _chunk;
    private int _end;        // input: where the next event goes (bytes from the start)
    private long _lastFrame; // input: events must be in time order

    internal Lv2AtomBuffer(Lv2Port port, int bytes, uint sequenceUrid, uint chunkUrid)
    {
        Port = port;
        _bytes = GC.AllocateArray<byte>(Math.Max(HeaderBytes, (bytes + 7) & ~7), pinned: true);
        Address = Marshal.UnsafeAddrOfPinnedArrayElement(_bytes, 0);
        _sequence = sequenceUrid;
        _chunk = chunkUrid;
        if (port.IsInput)
        {
            Clear();
        }
        else
        {
            ResetOutput();
        }
    }

    /// <summary>The port this buffer is connected to.</summary>
    public Lv2Port Port { get; }

    /// <summary>Bytes of the buffer, headers included.</summary>
    public int Capacity => _bytes.Length;

    /// <summary>Bytes of events an input holds now (0: the empty sequence).</summary>
    public int EventBytes => _end - HeaderBytes;

    /// <summary>Where the plugin is connected.</summary>
    internal IntPtr Address { get; }

    /// <summary>The raw bytes (tests, and a reader of a checked output).</summary>
    internal ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>An input back to the empty sequence. Allocation-free.</summary>
    public void Clear()
    {
        Span<byte> b = _bytes;
        BinaryPrimitives.WriteUInt32LittleEndian(b, 8);
        BinaryPrimitives.WriteUInt32LittleEndian(b[4..], _sequence);
        BinaryPrimitives.WriteUInt64LittleEndian(b[8..], 0); // unit 0 (frames), pad
        _end = HeaderBytes;
        _lastFrame = 0;
    }

    /// <summary>
    /// Appends an event at <paramref name="frame"/> (frames from the start of the next run; an earlier frame than the
    /// last event's is moved to it, a sequence is in time order) to an input: false, and nothing written, when it
    /// does not fit.
    /// </summary>
    /// <remarks>Worker render thread. Allocation-free.</remarks>
    public bool TryAppend(long frame, uint type, ReadOnlySpan<byte> body)
    {
        int total = EventHeaderBytes + body.Length;
        if (body.Length > _bytes.Length || _end + total > _bytes.Length)
        {
            return false;
        }
        frame = Math.Max(frame, _lastFrame);
        Span<byte> b = _bytes.AsSpan(_end);
        BinaryPrimitives.WriteInt64LittleEndian(b, frame);
        BinaryPrimitives.WriteUInt32LittleEndian(b[8..], (uint)body.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(b[12..], type);
        body.CopyTo(b[EventHeaderBytes..]);
        int padded = Math.Min((total + 7) & ~7, _bytes.Length - _end);
        b[total..padded].Clear();
        _end += padded;
        _lastFrame = frame;
        BinaryPrimitives.WriteUInt32LittleEndian(_bytes, (uint)(_end - 8)); // atom.size: the body, events included
        return true;
    }

    /// <summary>An output, before a run: an atom:Chunk as large as the space after its header. Allocation-free.</summary>
    internal void ResetOutput()
    {
        BinaryPrimitives.WriteUInt32LittleEndian(_bytes, (uint)(_bytes.Length - 8));
        BinaryPrimitives.WriteUInt32LittleEndian(_bytes.AsSpan(4), _chunk);
    }

    /// <summary>
    /// What an output holds after a run: the sequence's events (empty when the plugin wrote none), or, when it wrote
    /// something that is not a sequence within its buffer, an empty reader and <paramref name="malformed"/> true.
    /// </summary>
    /// <remarks>Worker render thread. Allocation-free.</remarks>
    public Lv2AtomEvents ReadOutput(out bool malformed)
    {
        uint size = BinaryPrimitives.ReadUInt32LittleEndian(_bytes);
        uint type = BinaryPrimitives.ReadUInt32LittleEndian(_bytes.AsSpan(4));
        if (type == _chunk && size == _bytes.Length - 8)
        {
            malformed = false; // untouched: the plugin wrote nothing this run
            return default;
        }
        malformed = type != _sequence || size < 8 || size > _bytes.Length - 8;
        return malformed ? default : new Lv2AtomEvents(_bytes.AsSpan(HeaderBytes, (int)size - 8));
    }
}
