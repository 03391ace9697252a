using System.Globalization;
using System.Text;

namespace Perpetuo.Control.Osc;

/// <summary>One typed OSC argument of the allocating API (<see cref="OscMessage"/>).</summary>
/// <remarks>
/// Numbers are stored unboxed in 64 bits; strings and blobs by reference. Blobs are copied in on creation and
/// handed out read-only, so an argument is immutable. Not for the real-time path: use <see cref="OscMessageReader"/>.
/// </remarks>
public readonly struct OscArgument : IEquatable<OscArgument>
{
    private readonly long _bits;
    private readonly object? _reference;

    private OscArgument(char type, long bits, object? reference)
    {
        Type = type;
        _bits = bits;
        _reference = reference;
    }

    /// <summary>The type tag; '\0' for <c>default(OscArgument)</c>, which is not a valid argument.</summary>
    public char Type { get; }

    public static OscArgument True => new(OscTypeTag.True, 0, null);

    public static OscArgument False => new(OscTypeTag.False, 0, null);

    public static OscArgument Nil => new(OscTypeTag.Nil, 0, null);

    public static OscArgument Impulse => new(OscTypeTag.Impulse, 0, null);

    /// <summary>The value boxed as its natural CLR type (int, float, string, byte[] copy, long, double, OscTimeTag, char, uint, bool), or null for nil and impulse.</summary>
    public object? Value => Type switch
    {
        OscTypeTag.Int32 => AsInt32(),
        OscTypeTag.Float => AsFloat(),
        OscTypeTag.String or OscTypeTag.Symbol => AsString(),
        OscTypeTag.Blob => AsBlob().ToArray(),
        OscTypeTag.Int64 => AsInt64(),
        OscTypeTag.Double => AsDouble(),
        OscTypeTag.TimeTag => AsTimeTag(),
        OscTypeTag.Char => AsChar(),
        OscTypeTag.Rgba or OscTypeTag.Midi => (uint)_bits,
        OscTypeTag.True or OscTypeTag.False => AsBoolean(),
        _ => null,
    };

    internal int EncodedSize => Type switch
    {
        OscTypeTag.String or OscTypeTag.Symbol => OscWire.Align4(Encoding.UTF8.GetByteCount((string)_reference!) + 1),
        OscTypeTag.Blob => 4 + OscWire.Align4(((byte[])_reference!).Length),
        _ => OscTypeTag.FixedSize(Type),
    };

    public static OscArgument FromInt32(int value) => new(OscTypeTag.Int32, value, null);

    public static OscArgument FromFloat(float value) => new(OscTypeTag.Float, BitConverter.SingleToInt32Bits(value), null);

    public static OscArgument FromInt64(long value) => new(OscTypeTag.Int64, value, null);

    public static OscArgument FromDouble(double value) => new(OscTypeTag.Double, BitConverter.DoubleToInt64Bits(value), null);

    public static OscArgument FromTimeTag(OscTimeTag value) => new(OscTypeTag.TimeTag, unchecked((long)value.Value), null);

    public static OscArgument FromBoolean(bool value) => value ? True : False;

    public static OscArgument FromChar(char value) => new(OscTypeTag.Char, value, null);

    public static OscArgument FromRgba(uint value) => new(OscTypeTag.Rgba, value, null);

    /// <summary>A MIDI message: port id, status byte, data1, data2, most significant byte first.</summary>
    public static OscArgument FromMidi(uint value) => new(OscTypeTag.Midi, value, null);

    /// <exception cref="ArgumentException">The string contains NUL, which cannot be encoded.</exception>
    public static OscArgument FromString(string value) => new(OscTypeTag.String, 0, CheckString(value));

    /// <summary>An 'S' (symbol) argument: a string that the receiver should treat as a name.</summary>
    public static OscArgument FromSymbol(string value) => new(OscTypeTag.Symbol, 0, CheckString(value));

    /// <summary>A blob holding a copy of <paramref name="value"/>.</summary>
    public static OscArgument FromBlob(ReadOnlySpan<byte> value) => new(OscTypeTag.Blob, 0, value.ToArray());

    public static implicit operator OscArgument(int value) => FromInt32(value);

    public static implicit operator OscArgument(float value) => FromFloat(value);

    public static implicit operator OscArgument(long value) => FromInt64(value);

    public static implicit operator OscArgument(double value) => FromDouble(value);

    public static implicit operator OscArgument(bool value) => FromBoolean(value);

    public static implicit operator OscArgument(string value) => FromString(value);

    public static implicit operator OscArgument(OscTimeTag value) => FromTimeTag(value);

    public static implicit operator OscArgument(byte[] value) => FromBlob(value);

    public static bool operator ==(OscArgument left, OscArgument right) => left.Equals(right);

    public static bool operator !=(OscArgument left, OscArgument right) => !left.Equals(right);

    public int AsInt32() => (int)Bits(OscTypeTag.Int32);

    public float AsFloat() => BitConverter.Int32BitsToSingle((int)Bits(OscTypeTag.Float));

    public long AsInt64() => Bits(OscTypeTag.Int64);

    public double AsDouble() => BitConverter.Int64BitsToDouble(Bits(OscTypeTag.Double));

    public OscTimeTag AsTimeTag() => new(unchecked((ulong)Bits(OscTypeTag.TimeTag)));

    public char AsChar() => (char)Bits(OscTypeTag.Char);

    public uint AsRgba() => (uint)Bits(OscTypeTag.Rgba);

    public uint AsMidi() => (uint)Bits(OscTypeTag.Midi);

    /// <summary>The value of a 'T' or 'F' argument.</summary>
    public bool AsBoolean() => Type == OscTypeTag.True || (Type == OscTypeTag.False ? false : Mismatch<bool>(OscTypeTag.True));

    /// <summary>The value of an 's' or 'S' argument.</summary>
    public string AsString() => Type is OscTypeTag.String or OscTypeTag.Symbol ? (string)_reference! : Mismatch<string>(OscTypeTag.String);

    public ReadOnlyMemory<byte> AsBlob() => Type == OscTypeTag.Blob ? (byte[])_reference! : Mismatch<ReadOnlyMemory<byte>>(OscTypeTag.Blob);

    public bool Equals(OscArgument other) =>
        Type == other.Type && _bits == other._bits && _reference switch
        {
            string s => s == (string?)other._reference,
            byte[] b => b.AsSpan().SequenceEqual((byte[])other._reference!),
            _ => true,
        };

    public override bool Equals(object? obj) => obj is OscArgument other && Equals(other);

    public override int GetHashCode() => _reference switch
    {
        string s => HashCode.Combine(Type, s),
        byte[] b => HashCode.Combine(Type, b.Length),
        _ => HashCode.Combine(Type, _bits),
    };

    public override string ToString() => Type switch
    {
        OscTypeTag.String or OscTypeTag.Symbol => $"{Type}:\"{_reference}\"",
        OscTypeTag.Blob => $"b:[{((byte[])_reference!).Length} bytes]",
        _ => string.Create(CultureInfo.InvariantCulture, $"{Type}:{Value}"),
    };

    internal void WriteTo(ref OscWriter writer)
    {
        switch (Type)
        {
            case OscTypeTag.Int32: writer.WriteInt32(AsInt32()); break;
            case OscTypeTag.Float: writer.WriteFloat(AsFloat()); break;
            case OscTypeTag.String or OscTypeTag.Symbol: writer.WriteString(AsString()); break;
            case OscTypeTag.Blob: writer.WriteBlob(AsBlob().Span); break;
            case OscTypeTag.Int64: writer.WriteInt64(AsInt64()); break;
            case OscTypeTag.Double: writer.WriteDouble(AsDouble()); break;
            case OscTypeTag.TimeTag: writer.WriteTimeTag(AsTimeTag()); break;
            case OscTypeTag.Char: writer.WriteChar(AsChar()); break;
            case OscTypeTag.Rgba: writer.WriteRgba(AsRgba()); break;
            case OscTypeTag.Midi: writer.WriteMidi(AsMidi()); break;
            case OscTypeTag.True or OscTypeTag.False: writer.WriteBoolean(AsBoolean()); break;
            case OscTypeTag.Nil: writer.WriteNil(); break;
            case OscTypeTag.Impulse: writer.WriteImpulse(); break;
            default: OscThrowHelper.ThrowInvalidOperation("default(OscArgument) cannot be encoded."); break;
        }
    }

    /// <summary>Reads the reader's next argument into an allocated argument. The reader has validated it.</summary>
    internal static OscArgument Read(ref OscMessageReader reader) => reader.NextType switch
    {
        OscTypeTag.Int32 => FromInt32(reader.ReadInt32()),
        OscTypeTag.Float => FromFloat(reader.ReadFloat()),
        OscTypeTag.String => FromString(Encoding.UTF8.GetString(reader.ReadString())),
        OscTypeTag.Symbol => FromSymbol(Encoding.UTF8.GetString(reader.ReadString())),
        OscTypeTag.Blob => FromBlob(reader.ReadBlob()),
        OscTypeTag.Int64 => FromInt64(reader.ReadInt64()),
        OscTypeTag.Double => FromDouble(reader.ReadDouble()),
        OscTypeTag.TimeTag => FromTimeTag(reader.ReadTimeTag()),
        OscTypeTag.Char => FromChar(reader.ReadChar()),
        OscTypeTag.Rgba => FromRgba(reader.ReadRgba()),
        OscTypeTag.Midi => FromMidi(reader.ReadMidi()),
        OscTypeTag.True or OscTypeTag.False => FromBoolean(reader.ReadBoolean()),
        OscTypeTag.Nil => reader.TryReadNil() ? Nil : default,
        _ => reader.TryReadImpulse() ? Impulse : default,
    };

    private static string CheckString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Contains('\0', StringComparison.Ordinal)
            ? throw new ArgumentException("An OSC string must not contain NUL.", nameof(value))
            : value;
    }

    private long Bits(char expected) => Type == expected ? _bits : Mismatch<long>(expected);

    private T Mismatch<T>(char expected) =>
        throw new InvalidOperationException($"OSC argument is '{Type}', not '{expected}'.");
}
