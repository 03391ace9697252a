using System.Diagnostics.CodeAnalysis;
using System.Buffers.Binary;

namespace Perpetuo.Control.Osc;

// Design: like OscMessageReader, the bundle's framing (header, time tag, every element's size prefix) is
// validated when the reader is created, so enumeration cannot fail. Element *contents* are validated when the
// caller opens them as a message or nested bundle; OscPacket.TryWalk validates the whole tree before it
// dispatches anything, which is what a server wants so a bad element cannot leave a bundle half-applied.

/// <summary>Allocation-free reader of one OSC bundle; enumerates its elements in order.</summary>
/// <remarks>Server receive thread. Allocation-free (the throwing members allocate only the exception).</remarks>
public ref struct OscBundleReader
{
    private readonly ReadOnlySpan<byte> _packet;
    private int _position;
    private OscBundleElement _current;

    /// <summary>Validates <paramref name="packet"/> as a top-level bundle (depth 1).</summary>
    /// <exception cref="OscParseException">The packet is not a well-formed bundle.</exception>
    public OscBundleReader(ReadOnlySpan<byte> packet)
    {
        if (!TryCreate(packet, 1, out this, out string? error))
        {
            OscThrowHelper.ThrowParse(error);
        }
    }

    private OscBundleReader(ReadOnlySpan<byte> packet, OscTimeTag timeTag, int depth, int elementCount)
    {
        _packet = packet;
        _position = OscWire.BundleHeaderLength;
        TimeTag = timeTag;
        Depth = depth;
        ElementCount = elementCount;
    }

    public OscTimeTag TimeTag { get; }

    /// <summary>Nesting depth: 1 for a top-level bundle.</summary>
    public int Depth { get; }

    public int ElementCount { get; }

    /// <summary>The element most recently returned by <see cref="MoveNext"/>.</summary>
    public readonly OscBundleElement Current => _current;

    /// <summary>Validates <paramref name="packet"/> as a top-level bundle without throwing.</summary>
    public static bool TryCreate(ReadOnlySpan<byte> packet, out OscBundleReader reader, [NotNullWhen(false)] out string? error) =>
        TryCreate(packet, 1, out reader, out error);

    internal static bool TryCreate(ReadOnlySpan<byte> packet, int depth, out OscBundleReader reader, [NotNullWhen(false)] out string? error)
    {
        reader = default;
        if (!OscWire.TryCheckPacket(packet, out error))
        {
            return false;
        }

        if (depth > OscLimits.MaxBundleDepth)
        {
            return OscWire.Fail(OscErrors.NestingTooDeep, out error);
        }

        if (!OscWire.IsBundle(packet))
        {
            return OscWire.Fail(OscErrors.NotABundle, out error);
        }

        if (packet.Length < OscWire.BundleHeaderLength)
        {
            return OscWire.Fail(OscErrors.BundleTruncated, out error);
        }

        int count = 0;
        for (int pos = OscWire.BundleHeaderLength; pos < packet.Length; count++)
        {
            if (!TryFrameElement(packet, ref pos, out _, out error))
            {
                return false;
            }
        }

        var timeTag = new OscTimeTag(BinaryPrimitives.ReadUInt64BigEndian(packet[8..]));
        reader = new OscBundleReader(packet, timeTag, depth, count);
        return true;
    }

    /// <summary>Advances to the next element.</summary>
    /// <returns>False after the last element.</returns>
    public bool MoveNext()
    {
        if (_position >= _packet.Length)
        {
            return false;
        }

        // Cannot fail: TryCreate has already framed every element.
        TryFrameElement(_packet, ref _position, out ReadOnlySpan<byte> element, out _);
        _current = new OscBundleElement(element, TimeTag, Depth);
        return true;
    }

    /// <summary>Returns a copy positioned before the first element, so <c>foreach</c> works.</summary>
    public readonly OscBundleReader GetEnumerator()
    {
        OscBundleReader copy = this;
        copy.Reset();
        return copy;
    }

    public void Reset()
    {
        _position = OscWire.BundleHeaderLength;
        _current = default;
    }

    private static bool TryFrameElement(ReadOnlySpan<byte> packet, scoped ref int pos, out ReadOnlySpan<byte> element, [NotNullWhen(false)] out string? error)
    {
        element = default;
        if (packet.Length - pos < 4)
        {
            return OscWire.Fail(OscErrors.ElementSizeTruncated, out error);
        }

        int size = BinaryPrimitives.ReadInt32BigEndian(packet[pos..]);
        pos += 4;
        error = size <= 0 ? OscErrors.ElementSizeNotPositive
            : (size & 3) != 0 ? OscErrors.ElementSizeMisaligned
            : packet.Length - pos < size ? OscErrors.ElementTooLarge
            : null;
        if (error is not null)
        {
            return false;
        }

        element = packet.Slice(pos, size);
        pos += size;
        return true;
    }
}
