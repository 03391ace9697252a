using System.Diagnostics.CodeAnalysis;

namespace Perpetuo.Control.Osc;

/// <summary>
/// An OSC packet of the allocating API: an <see cref="OscMessage"/> or an <see cref="OscBundle"/>. Also the entry
/// point for decoding (<see cref="Parse"/>, and the allocation-free <see cref="TryWalk"/> in OscPacket.Walk.cs).
/// </summary>
/// <remarks>Any thread; instances are immutable. Allocates: use <see cref="OscMessageReader"/> on hot paths.</remarks>
public abstract partial class OscPacket
{
    private protected OscPacket()
    {
    }

    /// <summary>Whether <paramref name="packet"/> starts with the bundle marker "#bundle\0".</summary>
    public static bool IsBundle(ReadOnlySpan<byte> packet) => OscWire.IsBundle(packet);

    /// <summary>Decodes a packet into a message or bundle tree.</summary>
    /// <exception cref="OscParseException">The packet is malformed, truncated, oversized or nested too deep.</exception>
    public static OscPacket Parse(ReadOnlySpan<byte> packet) =>
        TryParse(packet, 1, out OscPacket? result, out string? error) ? result : OscThrowHelper.ThrowParse<OscPacket>(error!);

    /// <summary>Decodes a packet without throwing.</summary>
    /// <returns>False with a description in <paramref name="error"/> when the packet is malformed.</returns>
    public static bool TryParse(ReadOnlySpan<byte> packet, [NotNullWhen(true)] out OscPacket? result, [NotNullWhen(false)] out string? error) =>
        TryParse(packet, 1, out result, out error);

    /// <summary>Size in bytes of this packet's encoding.</summary>
    public abstract int GetEncodedLength();

    /// <summary>Encodes this packet (as a top-level packet, or as the next element of a bundle open in <paramref name="writer"/>).</summary>
    public abstract void WriteTo(ref OscWriter writer);

    /// <summary>Encodes this packet into a new array.</summary>
    /// <exception cref="InvalidOperationException">The encoding is larger than <see cref="OscLimits.MaxPacketLength"/>.</exception>
    public byte[] ToArray()
    {
        int length = GetEncodedLength();
        if (length > OscLimits.MaxPacketLength)
        {
            OscThrowHelper.ThrowInvalidOperation("Encoded OSC packet would exceed OscLimits.MaxPacketLength.");
        }

        byte[] bytes = new byte[length];
        var writer = new OscWriter(bytes);
        WriteTo(ref writer);
        return bytes;
    }

    /// <summary>Encodes this packet into <paramref name="destination"/>.</summary>
    /// <returns>False, with nothing usable written, when <paramref name="destination"/> is too small.</returns>
    public bool TryEncode(Span<byte> destination, out int bytesWritten)
    {
        var writer = new OscWriter(destination);
        WriteTo(ref writer);
        bool ok = writer.TryFinish(out bytesWritten);
        bytesWritten = ok ? bytesWritten : 0;
        return ok;
    }

    private static bool TryParse(ReadOnlySpan<byte> packet, int depth, [NotNullWhen(true)] out OscPacket? result, [NotNullWhen(false)] out string? error)
    {
        result = null;
        if (!OscWire.IsBundle(packet))
        {
            if (!OscMessageReader.TryCreate(packet, out OscMessageReader message, out error))
            {
                return false;
            }

            result = OscMessage.Read(ref message);
            return true;
        }

        if (!OscBundleReader.TryCreate(packet, depth, out OscBundleReader bundle, out error))
        {
            return false;
        }

        var elements = new OscPacket[bundle.ElementCount];
        int i = 0;
        foreach (OscBundleElement element in bundle)
        {
            if (!TryParse(element.Packet, depth + 1, out OscPacket? child, out error))
            {
                return false;
            }

            elements[i++] = child;
        }

        result = new OscBundle(bundle.TimeTag, elements);
        return true;
    }
}
