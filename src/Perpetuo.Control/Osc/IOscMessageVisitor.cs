namespace Perpetuo.Control.Osc;

/// <summary>Receives each message of a packet from <see cref="OscPacket.TryWalk"/>, bundles flattened.</summary>
/// <remarks>
/// Implement it on a struct (or ref struct) and pass it by <c>ref</c>: the walk is generic over the visitor, so
/// calls are direct and nothing is boxed.
/// </remarks>
public interface IOscMessageVisitor
{
    /// <summary>
    /// Called once per message in packet order. <paramref name="timeTag"/> is the innermost enclosing bundle's
    /// tag, or <see cref="OscTimeTag.Immediate"/> for a bare message. The reader borrows the packet buffer.
    /// </summary>
    void Visit(OscMessageReader message, OscTimeTag timeTag);
}
