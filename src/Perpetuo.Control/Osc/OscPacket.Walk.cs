using System.Diagnostics.CodeAnalysis;
namespace Perpetuo.Control.Osc;

// The allocation-free decode path for the server's steady state: validate the whole tree, then hand each
// message to a visitor together with its effective time tag. Validation comes first so that a malformed
// element anywhere in a bundle rejects the whole bundle before any of it has been acted on (OSC 1.0 asks
// for a bundle's messages to take effect atomically). Recursion depth is bounded by MaxBundleDepth.
public abstract partial class OscPacket
{
    /// <summary>Checks a whole packet, every nested bundle and every message in it, without allocating.</summary>
    /// <remarks>Server receive thread. Allocation-free.</remarks>
    public static bool TryValidate(ReadOnlySpan<byte> packet, [NotNullWhen(false)] out string? error) => TryValidate(packet, 1, out error);

    /// <summary>
    /// Validates <paramref name="packet"/> completely, then calls <paramref name="visitor"/> once per message in
    /// order. Nothing is visited if any part is malformed.
    /// </summary>
    /// <remarks>Server receive thread. Allocation-free if the visitor is.</remarks>
    /// <returns>False with a description in <paramref name="error"/> when the packet is malformed.</returns>
    public static bool TryWalk<TVisitor>(ReadOnlySpan<byte> packet, ref TVisitor visitor, [NotNullWhen(false)] out string? error)
        where TVisitor : IOscMessageVisitor, allows ref struct
    {
        if (!TryValidate(packet, 1, out error))
        {
            return false;
        }

        Dispatch(packet, OscTimeTag.Immediate, 1, ref visitor);
        return true;
    }

    /// <inheritdoc cref="TryWalk"/>
    /// <exception cref="OscParseException">The packet is malformed; nothing has been visited.</exception>
    public static void Walk<TVisitor>(ReadOnlySpan<byte> packet, ref TVisitor visitor)
        where TVisitor : IOscMessageVisitor, allows ref struct
    {
        if (!TryWalk(packet, ref visitor, out string? error))
        {
            OscThrowHelper.ThrowParse(error);
        }
    }

    private static bool TryValidate(ReadOnlySpan<byte> packet, int depth, [NotNullWhen(false)] out string? error)
    {
        if (!OscWire.IsBundle(packet))
        {
            return OscMessageReader.TryCreate(packet, out _, out error);
        }

        if (!OscBundleReader.TryCreate(packet, depth, out OscBundleReader bundle, out error))
        {
            return false;
        }

        foreach (OscBundleElement element in bundle)
        {
            if (!TryValidate(element.Packet, depth + 1, out error))
            {
                return false;
            }
        }

        return true;
    }

    private static void Dispatch<TVisitor>(ReadOnlySpan<byte> packet, OscTimeTag timeTag, int depth, ref TVisitor visitor)
        where TVisitor : IOscMessageVisitor, allows ref struct
    {
        // Cannot fail below: TryValidate has accepted every level of this packet.
        if (!OscWire.IsBundle(packet))
        {
            OscMessageReader.TryCreate(packet, out OscMessageReader message, out _);
            visitor.Visit(message, timeTag);
            return;
        }

        OscBundleReader.TryCreate(packet, depth, out OscBundleReader bundle, out _);
        foreach (OscBundleElement element in bundle)
        {
            Dispatch(element.Packet, bundle.TimeTag, depth + 1, ref visitor);
        }
    }
}
