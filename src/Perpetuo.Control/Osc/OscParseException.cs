namespace Perpetuo.Control.Osc;

/// <summary>
/// Thrown when bytes received from the network are not a well-formed OSC 1.0 packet, or when a caller asks
/// an <see cref="OscMessageReader"/> for an argument of a type the message does not carry.
/// </summary>
/// <remarks>
/// This is the only exception the decoding API throws for bad input: truncation, bad padding, forged sizes and
/// unknown type tags all end here, never in <see cref="IndexOutOfRangeException"/>. Servers that must not
/// throw on the receive path use the <c>Try…</c> members, which report the same messages as strings.
/// </remarks>
public sealed class OscParseException : Exception
{
    public OscParseException()
    {
    }

    public OscParseException(string message)
        : base(message)
    {
    }

    public OscParseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
