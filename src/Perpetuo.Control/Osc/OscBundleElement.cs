using System.Diagnostics.CodeAnalysis;
namespace Perpetuo.Control.Osc;

/// <summary>One element of a bundle: a message or a nested bundle, with the enclosing bundle's time tag.</summary>
/// <remarks>Server receive thread. Allocation-free (the throwing members allocate only the exception).</remarks>
public readonly ref struct OscBundleElement
{
    internal OscBundleElement(ReadOnlySpan<byte> packet, OscTimeTag timeTag, int depth)
    {
        Packet = packet;
        TimeTag = timeTag;
        Depth = depth;
    }

    /// <summary>The element's bytes, without its size prefix.</summary>
    public ReadOnlySpan<byte> Packet { get; }

    /// <summary>Time tag of the bundle that contains this element.</summary>
    public OscTimeTag TimeTag { get; }

    /// <summary>Depth of the bundle that contains this element.</summary>
    public int Depth { get; }

    public bool IsBundle => OscWire.IsBundle(Packet);

    public bool TryGetMessage(out OscMessageReader message, [NotNullWhen(false)] out string? error) =>
        OscMessageReader.TryCreate(Packet, out message, out error);

    /// <summary>Opens the element as a nested bundle, enforcing <see cref="OscLimits.MaxBundleDepth"/>.</summary>
    public bool TryGetBundle(out OscBundleReader bundle, [NotNullWhen(false)] out string? error) =>
        OscBundleReader.TryCreate(Packet, Depth + 1, out bundle, out error);

    /// <exception cref="OscParseException">The element is not a well-formed message.</exception>
    public OscMessageReader GetMessage() => new(Packet);

    /// <exception cref="OscParseException">The element is not a well-formed bundle, or is nested too deep.</exception>
    public OscBundleReader GetBundle()
    {
        if (!TryGetBundle(out OscBundleReader bundle, out string? error))
        {
            OscThrowHelper.ThrowParse(error);
        }

        return bundle;
    }
}
