using System.Collections.ObjectModel;

namespace Perpetuo.Control.Osc;

/// <summary>An OSC bundle of the allocating API: a time tag and elements (messages or nested bundles).</summary>
/// <remarks>Immutable; any thread.</remarks>
public sealed class OscBundle : OscPacket
{
    private readonly OscPacket[] _elements;

    /// <exception cref="ArgumentException">The nesting would exceed <see cref="OscLimits.MaxBundleDepth"/>.</exception>
    public OscBundle(OscTimeTag timeTag, params ReadOnlySpan<OscPacket> elements)
    {
        int depth = 1;
        foreach (OscPacket element in elements)
        {
            ArgumentNullException.ThrowIfNull(element, nameof(elements));
            depth = Math.Max(depth, element is OscBundle bundle ? bundle.Depth + 1 : 1);
        }

        if (depth > OscLimits.MaxBundleDepth)
        {
            throw new ArgumentException(OscErrors.NestingTooDeep, nameof(elements));
        }

        TimeTag = timeTag;
        Depth = depth;
        _elements = elements.ToArray();
        Elements = new ReadOnlyCollection<OscPacket>(_elements);
    }

    /// <inheritdoc cref="OscBundle(OscTimeTag, ReadOnlySpan{OscPacket})"/>
    public OscBundle(OscTimeTag timeTag, IEnumerable<OscPacket> elements)
        : this(timeTag, (elements ?? throw new ArgumentNullException(nameof(elements))).ToArray().AsSpan())
    {
    }

    public OscTimeTag TimeTag { get; }

    public IReadOnlyList<OscPacket> Elements { get; }

    /// <summary>Nesting depth of this bundle's tree: 1 when it holds only messages.</summary>
    public int Depth { get; }

    public override int GetEncodedLength()
    {
        int length = OscWire.BundleHeaderLength;
        foreach (OscPacket element in _elements)
        {
            length += 4 + element.GetEncodedLength();
        }

        return length;
    }

    public override void WriteTo(ref OscWriter writer)
    {
        writer.BeginBundle(TimeTag);
        foreach (OscPacket element in _elements)
        {
            element.WriteTo(ref writer);
        }

        writer.EndBundle();
    }

    public override string ToString() => $"#bundle {TimeTag} [{_elements.Length} elements]";
}
