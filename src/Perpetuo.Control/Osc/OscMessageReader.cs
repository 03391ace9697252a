using System.Diagnostics.CodeAnalysis;
using System.Buffers.Binary;

namespace Perpetuo.Control.Osc;

// Design: the whole message is validated once, when the reader is created: address, type tag string, every
// argument's size, terminator and padding, and that nothing trails the last argument. After that the Read…
// members only check the *type* the caller asks for and then decode at a known-good offset, so the steady-state
// dispatch path is a straight line of BinaryPrimitives calls with no further bounds reasoning.
// The reader borrows the caller's buffer: the spans it hands out are valid only while that buffer is.

/// <summary>
/// Allocation-free reader of one OSC message over a caller-owned buffer. Arguments are read in order.
/// </summary>
/// <remarks>
/// Server receive thread. Allocation-free, except that the throwing members allocate the exception on failure;
/// use <see cref="TryCreate"/> and the <c>TryRead…</c> members where even that is unwanted.
/// A message without a type tag string (address only, from pre-1.0 senders) is rejected: the spec asks for
/// tolerance, but accepting it would also accept any message truncated right after its address.
/// </remarks>
public ref partial struct OscMessageReader
{
    private readonly ReadOnlySpan<byte> _packet;
    private readonly ReadOnlySpan<byte> _typeTags;
    private readonly int _firstArgument;
    private int _position;
    private int _index;

    /// <summary>Validates <paramref name="packet"/> as one OSC message.</summary>
    /// <exception cref="OscParseException">The packet is not a well-formed OSC message.</exception>
    public OscMessageReader(ReadOnlySpan<byte> packet)
    {
        if (!TryCreate(packet, out this, out string? error))
        {
            OscThrowHelper.ThrowParse(error);
        }
    }

    private OscMessageReader(ReadOnlySpan<byte> packet, ReadOnlySpan<byte> address, ReadOnlySpan<byte> typeTags, int firstArgument)
    {
        _packet = packet;
        Address = address;
        _typeTags = typeTags;
        _firstArgument = firstArgument;
        _position = firstArgument;
    }

    /// <summary>The address pattern as UTF-8 bytes, without terminator.</summary>
    public ReadOnlySpan<byte> Address { get; }

    /// <summary>The type tags, one byte per argument, without the leading ','.</summary>
    public readonly ReadOnlySpan<byte> TypeTags => _typeTags;

    /// <summary>The whole message as received.</summary>
    public readonly ReadOnlySpan<byte> Packet => _packet;

    public readonly int ArgumentCount => _typeTags.Length;

    /// <summary>Index of the next argument to read.</summary>
    public readonly int ArgumentIndex => _index;

    public readonly bool HasMoreArguments => _index < _typeTags.Length;

    /// <summary>Type tag of the next argument, or '\0' when all have been read.</summary>
    public readonly char NextType => HasMoreArguments ? (char)_typeTags[_index] : '\0';

    /// <summary>Validates <paramref name="packet"/> as one OSC message without throwing.</summary>
    /// <returns>False with a description in <paramref name="error"/> when the packet is malformed.</returns>
    public static bool TryCreate(ReadOnlySpan<byte> packet, out OscMessageReader reader, [NotNullWhen(false)] out string? error)
    {
        reader = default;
        if (!OscWire.TryCheckPacket(packet, out error))
        {
            return false;
        }

        if (packet[0] != (byte)'/')
        {
            return OscWire.Fail(OscWire.IsBundle(packet) ? OscErrors.NotAMessage : OscErrors.AddressMissingSlash, out error);
        }

        int pos = 0;
        if (!OscWire.TryReadString(packet, ref pos, out ReadOnlySpan<byte> address, out error))
        {
            return false;
        }

        if (pos == packet.Length)
        {
            return OscWire.Fail(OscErrors.TypeTagMissing, out error);
        }

        if (packet[pos] != (byte)',')
        {
            return OscWire.Fail(OscErrors.TypeTagMissingComma, out error);
        }

        if (!OscWire.TryReadString(packet, ref pos, out ReadOnlySpan<byte> tags, out error))
        {
            return false;
        }

        tags = tags[1..];
        int first = pos;
        foreach (byte tag in tags)
        {
            if (!OscWire.TrySkipArgument((char)tag, packet, ref pos, out error))
            {
                return false;
            }
        }

        if (pos != packet.Length)
        {
            return OscWire.Fail(OscErrors.TrailingBytes, out error);
        }

        reader = new OscMessageReader(packet, address, tags, first);
        return true;
    }

    /// <summary>Whether the address equals <paramref name="utf8Address"/> byte for byte (no pattern matching).</summary>
    public readonly bool AddressEquals(ReadOnlySpan<byte> utf8Address) => Address.SequenceEqual(utf8Address);

    /// <summary>Rewinds to the first argument.</summary>
    public void Reset()
    {
        _position = _firstArgument;
        _index = 0;
    }

    /// <summary>Steps over the next argument whatever its type.</summary>
    /// <returns>False when there are no more arguments.</returns>
    public bool TrySkip()
    {
        if (!HasMoreArguments)
        {
            return false;
        }

        // Cannot fail: TryCreate has already walked every argument.
        OscWire.TrySkipArgument((char)_typeTags[_index], _packet, ref _position, out _);
        _index++;
        return true;
    }

    /// <summary>Consumes the next argument if its tag is <paramref name="tag"/>; returns the offset of its data.</summary>
    private bool TryTake(char tag, out int start)
    {
        start = _position;
        if (!HasMoreArguments || _typeTags[_index] != (byte)tag)
        {
            return false;
        }

        _position += OscTypeTag.FixedSize(tag);
        _index++;
        return true;
    }

    private readonly ReadOnlySpan<byte> At(int start) => _packet[start..];

    private readonly int ReadInt32At(int start) => BinaryPrimitives.ReadInt32BigEndian(At(start));

    private readonly long ReadInt64At(int start) => BinaryPrimitives.ReadInt64BigEndian(At(start));
}
