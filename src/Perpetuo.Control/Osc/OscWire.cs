using System.Diagnostics.CodeAnalysis;
using System.Buffers.Binary;

namespace Perpetuo.Control.Osc;

/// <summary>
/// Bounds-checked primitives of the OSC wire format. Every reader goes through these, so every size, padding
/// and terminator is checked in one place.
/// </summary>
/// <remarks>
/// Offsets are compared as <c>data.Length - pos &lt; n</c>, never <c>pos + n &gt; data.Length</c>, so a forged
/// size near <see cref="int.MaxValue"/> cannot overflow past a check. Allocation-free.
/// </remarks>
internal static class OscWire
{
    public const int BundleHeaderLength = 16;

    public static ReadOnlySpan<byte> BundleTag => "#bundle\0"u8;

    public static int Align4(int length) => (length + 3) & ~3;

    public static bool IsBundle(ReadOnlySpan<byte> packet) => packet.StartsWith(BundleTag);

    /// <summary>Checks what every packet and bundle element must satisfy: non-empty, bounded, 4-byte aligned.</summary>
    public static bool TryCheckPacket(ReadOnlySpan<byte> packet, [NotNullWhen(false)] out string? error)
    {
        error = packet.Length == 0 ? OscErrors.EmptyPacket
            : packet.Length > OscLimits.MaxPacketLength ? OscErrors.PacketTooLarge
            : (packet.Length & 3) != 0 ? OscErrors.Misaligned
            : null;
        return error is null;
    }

    /// <summary>Reads a null-terminated, zero-padded OSC string; <paramref name="value"/> excludes the terminator.</summary>
    public static bool TryReadString(ReadOnlySpan<byte> data, scoped ref int pos, out ReadOnlySpan<byte> value, [NotNullWhen(false)] out string? error)
    {
        value = default;
        if (pos >= data.Length)
        {
            error = OscErrors.StringTruncated;
            return false;
        }

        int length = data[pos..].IndexOf((byte)0);
        if (length < 0)
        {
            error = OscErrors.StringUnterminated;
            return false;
        }

        int end = pos + length + 1;
        int padded = Align4(end);
        if (padded > data.Length)
        {
            error = OscErrors.StringPaddingTruncated;
            return false;
        }

        if (data[end..padded].ContainsAnyExcept((byte)0))
        {
            error = OscErrors.StringPaddingNotZero;
            return false;
        }

        value = data.Slice(pos, length);
        pos = padded;
        error = null;
        return true;
    }

    /// <summary>Reads an OSC blob: int32 size, that many bytes, zero padding to a multiple of 4.</summary>
    public static bool TryReadBlob(ReadOnlySpan<byte> data, scoped ref int pos, out ReadOnlySpan<byte> value, [NotNullWhen(false)] out string? error)
    {
        value = default;
        if (data.Length - pos < 4)
        {
            error = OscErrors.ArgumentTruncated;
            return false;
        }

        int size = BinaryPrimitives.ReadInt32BigEndian(data[pos..]);
        int start = pos + 4;
        if (size < 0)
        {
            error = OscErrors.BlobNegativeSize;
            return false;
        }

        if (data.Length - start < size || data.Length - start - size < Align4(size) - size)
        {
            error = OscErrors.BlobTooLarge;
            return false;
        }

        int padded = start + Align4(size);
        if (data[(start + size)..padded].ContainsAnyExcept((byte)0))
        {
            error = OscErrors.BlobPaddingNotZero;
            return false;
        }

        value = data.Slice(start, size);
        pos = padded;
        error = null;
        return true;
    }

    /// <summary>Checks the argument of type <paramref name="tag"/> at <paramref name="pos"/> and steps past it.</summary>
    public static bool TrySkipArgument(char tag, ReadOnlySpan<byte> data, scoped ref int pos, [NotNullWhen(false)] out string? error)
    {
        int size = OscTypeTag.FixedSize(tag);
        if (size >= 0)
        {
            if (data.Length - pos < size)
            {
                error = OscErrors.ArgumentTruncated;
                return false;
            }

            pos += size;
            error = null;
            return true;
        }

        return tag switch
        {
            OscTypeTag.String or OscTypeTag.Symbol => TryReadString(data, ref pos, out _, out error),
            OscTypeTag.Blob => TryReadBlob(data, ref pos, out _, out error),
            _ => Fail(OscErrors.UnknownTypeTag, out error),
        };
    }

    public static bool Fail(string message, [NotNull] out string? error)
    {
        error = message;
        return false;
    }
}
