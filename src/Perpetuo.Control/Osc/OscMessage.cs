using System.Collections.ObjectModel;
using System.Text;

namespace Perpetuo.Control.Osc;

/// <summary>An OSC message of the allocating API: an address pattern and typed arguments.</summary>
/// <remarks>Immutable; any thread. For the allocation-free path use <see cref="OscMessageReader"/> and <see cref="OscWriter"/>.</remarks>
public sealed class OscMessage : OscPacket
{
    private readonly OscArgument[] _arguments;

    /// <exception cref="ArgumentException">The address does not start with '/' or contains NUL, or an argument is <c>default</c>.</exception>
    public OscMessage(string address, params ReadOnlySpan<OscArgument> arguments)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!address.StartsWith('/') || address.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("An OSC address must start with '/' and must not contain NUL.", nameof(address));
        }

        foreach (OscArgument argument in arguments)
        {
            if (!OscTypeTag.IsKnown(argument.Type))
            {
                throw new ArgumentException("default(OscArgument) is not a valid argument.", nameof(arguments));
            }
        }

        Address = address;
        _arguments = arguments.ToArray();
        Arguments = new ReadOnlyCollection<OscArgument>(_arguments);
    }

    /// <inheritdoc cref="OscMessage(string, ReadOnlySpan{OscArgument})"/>
    public OscMessage(string address, IEnumerable<OscArgument> arguments)
        : this(address, (arguments ?? throw new ArgumentNullException(nameof(arguments))).ToArray().AsSpan())
    {
    }

    public string Address { get; }

    public IReadOnlyList<OscArgument> Arguments { get; }

    /// <summary>The type tag string without the leading ',', e.g. "iisff".</summary>
    public string TypeTags => string.Create(_arguments.Length, _arguments, static (span, args) =>
    {
        for (int i = 0; i < args.Length; i++)
        {
            span[i] = args[i].Type;
        }
    });

    public override int GetEncodedLength()
    {
        int length = OscWire.Align4(Encoding.UTF8.GetByteCount(Address) + 1) + OscWire.Align4(_arguments.Length + 2);
        foreach (OscArgument argument in _arguments)
        {
            length += argument.EncodedSize;
        }

        return length;
    }

    public override void WriteTo(ref OscWriter writer)
    {
        writer.BeginMessage(Address, TypeTags);
        foreach (OscArgument argument in _arguments)
        {
            argument.WriteTo(ref writer);
        }

        writer.EndMessage();
    }

    public override string ToString() => $"{Address} ,{TypeTags} {string.Join(' ', _arguments)}".TrimEnd();

    internal static OscMessage Read(ref OscMessageReader reader)
    {
        var arguments = new OscArgument[reader.ArgumentCount];
        for (int i = 0; i < arguments.Length; i++)
        {
            arguments[i] = OscArgument.Read(ref reader);
        }

        return new OscMessage(Encoding.UTF8.GetString(reader.Address), arguments);
    }
}
