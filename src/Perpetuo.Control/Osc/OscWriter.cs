using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace Perpetuo.Control.Osc;

// Design: the writer encodes straight into a caller buffer. A message declares its type tags up front (the
// tag string precedes the data on the wire), and each Write… is checked against the declared tag, so a reply
// cannot go out with data that disagrees with its tags. Bundle elements get a 4-byte size placeholder that is
// patched when the element ends; the open placeholders live in a fixed inline stack, MaxBundleDepth + 1 deep
// (one per open bundle plus the open message), so nothing is allocated.
// Running out of buffer is not an exception: the writer sets HasOverflowed, stops writing, keeps counting,
// and TryFinish returns false with the length that would have been needed. Misuse (wrong order, wrong type,
// bad address) throws, because it is a bug in the caller rather than a condition of the moment.

/// <summary>Encodes one OSC packet (message or bundle tree) into a caller-provided buffer without allocating.</summary>
/// <remarks>
/// Server reply path, any single thread. Allocation-free. Mutable struct: keep it in a local and never copy it.
/// </remarks>
public ref partial struct OscWriter
{
    private readonly Span<byte> _buffer;
    private Frames _frames;
    private int _openFrames;
    private int _openBundles;
    private int _tagStart;
    private int _tagCount;
    private int _argIndex;
    private bool _messageOpen;
    private bool _complete;

    public OscWriter(Span<byte> destination)
    {
        _buffer = destination;
    }

    /// <summary>Bytes written so far; after an overflow, the bytes that would have been needed.</summary>
    public int Length { get; private set; }

    /// <summary>Whether the buffer ran out; sticky until <see cref="Reset"/>.</summary>
    public bool HasOverflowed { get; private set; }

    /// <summary>Starts a bundle (top-level, or as the next element of the open bundle).</summary>
    /// <exception cref="InvalidOperationException">A message is open, the packet is complete, or nesting exceeds <see cref="OscLimits.MaxBundleDepth"/>.</exception>
    public void BeginBundle(OscTimeTag timeTag)
    {
        BeginElement();
        if (_openBundles == OscLimits.MaxBundleDepth)
        {
            OscThrowHelper.ThrowInvalidOperation(OscErrors.NestingTooDeep);
        }

        _openBundles++;
        Span<byte> header = Reserve(OscWire.BundleHeaderLength);
        if (!header.IsEmpty)
        {
            OscWire.BundleTag.CopyTo(header);
            BinaryPrimitives.WriteUInt64BigEndian(header[8..], timeTag.Value);
        }
    }

    /// <summary>Closes the innermost open bundle.</summary>
    public void EndBundle()
    {
        if (_openBundles == 0 || _messageOpen)
        {
            OscThrowHelper.ThrowInvalidOperation("OscWriter.EndBundle without a matching BeginBundle.");
        }

        _openBundles--;
        EndElement();
    }

    /// <summary>
    /// Starts a message with a UTF-8 address and its type tags (without or with the leading ','). The arguments
    /// must then be written in tag order, and the message closed with <see cref="EndMessage"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The address does not start with '/' or contains NUL, or a tag is unknown.</exception>
    public void BeginMessage(ReadOnlySpan<byte> utf8Address, ReadOnlySpan<byte> typeTags)
    {
        CheckAddress(utf8Address.IsEmpty ? '\0' : (char)utf8Address[0], utf8Address.Contains((byte)0));
        BeginElement();
        WriteStringBytes(utf8Address);
        BeginTags(typeTags.StartsWith((byte)',') ? typeTags[1..] : typeTags);
    }

    /// <inheritdoc cref="BeginMessage(ReadOnlySpan{byte}, ReadOnlySpan{byte})"/>
    public void BeginMessage(ReadOnlySpan<char> address, ReadOnlySpan<char> typeTags)
    {
        CheckAddress(address.IsEmpty ? '\0' : address[0], address.Contains('\0'));
        if (typeTags.StartsWith(','))
        {
            typeTags = typeTags[1..];
        }

        Span<byte> tags = typeTags.Length <= 256 ? stackalloc byte[typeTags.Length] : new byte[typeTags.Length];
        for (int i = 0; i < typeTags.Length; i++)
        {
            tags[i] = typeTags[i] < 128 ? (byte)typeTags[i] : (byte)0;
        }

        BeginElement();
        WriteStringChars(address);
        BeginTags(tags);
    }

    /// <summary>Closes the open message.</summary>
    /// <exception cref="InvalidOperationException">No message is open, or fewer arguments were written than declared.</exception>
    public void EndMessage()
    {
        if (!_messageOpen || _argIndex != _tagCount)
        {
            OscThrowHelper.ThrowInvalidOperation("OscWriter.EndMessage before every declared argument was written.");
        }

        _messageOpen = false;
        EndElement();
    }

    /// <summary>Reports the finished packet's length.</summary>
    /// <returns>False when the buffer was too small; <paramref name="length"/> is then the size needed.</returns>
    /// <exception cref="InvalidOperationException">The packet is not complete (nothing written, or something still open).</exception>
    public readonly bool TryFinish(out int length)
    {
        if (!_complete)
        {
            OscThrowHelper.ThrowInvalidOperation("OscWriter.TryFinish before the packet was complete.");
        }

        length = Length;
        return !HasOverflowed;
    }

    /// <summary>Forgets everything written, to encode a new packet into the same buffer.</summary>
    public void Reset()
    {
        Length = 0;
        HasOverflowed = false;
        _openFrames = 0;
        _openBundles = 0;
        _messageOpen = false;
        _complete = false;
    }

    private static void CheckAddress(char first, bool containsNul)
    {
        if (first != '/' || containsNul)
        {
            throw new ArgumentException("An OSC address must start with '/' and must not contain NUL.", "address");
        }
    }

    private void BeginTags(scoped ReadOnlySpan<byte> tags)
    {
        foreach (byte tag in tags)
        {
            if (!OscTypeTag.IsKnown((char)tag))
            {
                throw new ArgumentException("Unknown OSC type tag.", nameof(tags));
            }
        }

        _tagStart = Length + 1;
        Span<byte> field = Reserve(OscWire.Align4(tags.Length + 2));
        if (!field.IsEmpty)
        {
            field.Clear();
            field[0] = (byte)',';
            tags.CopyTo(field[1..]);
        }

        _tagCount = tags.Length;
        _argIndex = 0;
        _messageOpen = true;
    }

    /// <summary>Opens a packet or bundle element: at depth 0 the packet itself, else a size-prefixed element.</summary>
    private void BeginElement()
    {
        if (_messageOpen || _complete)
        {
            OscThrowHelper.ThrowInvalidOperation(_complete
                ? "OscWriter already holds a complete packet; call Reset to write another."
                : "OscWriter cannot begin an element inside an open message.");
        }

        int sizeField = -1;
        if (_openBundles > 0)
        {
            sizeField = Length;
            Reserve(4);
        }

        _frames[_openFrames++] = sizeField;
    }

    private void EndElement()
    {
        int sizeField = _frames[--_openFrames];
        if (sizeField < 0)
        {
            _complete = true;
        }
        else if (!HasOverflowed)
        {
            BinaryPrimitives.WriteInt32BigEndian(_buffer[sizeField..], Length - sizeField - 4);
        }
    }

    /// <summary>Claims the next <paramref name="count"/> bytes; empty once the buffer has run out.</summary>
    private Span<byte> Reserve(int count)
    {
        int start = Length;
        Length = start + count;
        if (HasOverflowed || _buffer.Length - start < count)
        {
            HasOverflowed = true;
            return default;
        }

        return _buffer.Slice(start, count);
    }

    private void WriteStringBytes(ReadOnlySpan<byte> utf8)
    {
        Span<byte> field = Reserve(OscWire.Align4(utf8.Length + 1));
        if (!field.IsEmpty)
        {
            utf8.CopyTo(field);
            field[utf8.Length..].Clear();
        }
    }

    private void WriteStringChars(ReadOnlySpan<char> chars)
    {
        int count = Encoding.UTF8.GetByteCount(chars);
        Span<byte> field = Reserve(OscWire.Align4(count + 1));
        if (!field.IsEmpty)
        {
            Encoding.UTF8.GetBytes(chars, field);
            field[count..].Clear();
        }
    }

    [InlineArray(OscLimits.MaxBundleDepth + 1)]
    private struct Frames
    {
        private int _sizeFieldOffset;
    }
}
