using System.Buffers.Binary;

namespace Perpetuo.Control.Osc;

// Argument writers. Each checks the next declared tag, then writes big-endian data at the current position.
public ref partial struct OscWriter
{
    public void WriteInt32(int value) => WriteFixed32(OscTypeTag.Int32, value);

    public void WriteFloat(float value) => WriteFixed32(OscTypeTag.Float, BitConverter.SingleToInt32Bits(value));

    public void WriteChar(char value) => WriteFixed32(OscTypeTag.Char, value);

    public void WriteRgba(uint value) => WriteFixed32(OscTypeTag.Rgba, unchecked((int)value));

    public void WriteMidi(uint value) => WriteFixed32(OscTypeTag.Midi, unchecked((int)value));

    public void WriteInt64(long value) => WriteFixed64(OscTypeTag.Int64, value);

    public void WriteDouble(double value) => WriteFixed64(OscTypeTag.Double, BitConverter.DoubleToInt64Bits(value));

    public void WriteTimeTag(OscTimeTag value) => WriteFixed64(OscTypeTag.TimeTag, unchecked((long)value.Value));

    /// <summary>Writes a 'T' or 'F' argument; the declared tag may be either and is set to match the value.</summary>
    public void WriteBoolean(bool value)
    {
        int tagOffset = _tagStart + _argIndex;
        if (!TryExpect(OscTypeTag.True) && !TryExpect(OscTypeTag.False))
        {
            ThrowArgumentMismatch(OscTypeTag.True);
        }

        if (!HasOverflowed)
        {
            _buffer[tagOffset] = (byte)(value ? OscTypeTag.True : OscTypeTag.False);
        }
    }

    public void WriteNil() => Expect(OscTypeTag.Nil);

    public void WriteImpulse() => Expect(OscTypeTag.Impulse);

    /// <summary>Writes an 's' or 'S' argument from UTF-8 bytes.</summary>
    /// <exception cref="ArgumentException">The string contains NUL.</exception>
    public void WriteString(ReadOnlySpan<byte> utf8)
    {
        ExpectString(utf8.Contains((byte)0));
        WriteStringBytes(utf8);
    }

    /// <summary>Writes an 's' or 'S' argument, encoding it as UTF-8.</summary>
    /// <exception cref="ArgumentException">The string contains NUL.</exception>
    public void WriteString(ReadOnlySpan<char> value)
    {
        ExpectString(value.Contains('\0'));
        WriteStringChars(value);
    }

    public void WriteBlob(ReadOnlySpan<byte> value)
    {
        Expect(OscTypeTag.Blob);
        Span<byte> field = Reserve(4 + OscWire.Align4(value.Length));
        if (!field.IsEmpty)
        {
            BinaryPrimitives.WriteInt32BigEndian(field, value.Length);
            value.CopyTo(field[4..]);
            field[(4 + value.Length)..].Clear();
        }
    }

    private void WriteFixed32(char tag, int value)
    {
        Expect(tag);
        Span<byte> field = Reserve(4);
        if (!field.IsEmpty)
        {
            BinaryPrimitives.WriteInt32BigEndian(field, value);
        }
    }

    private void WriteFixed64(char tag, long value)
    {
        Expect(tag);
        Span<byte> field = Reserve(8);
        if (!field.IsEmpty)
        {
            BinaryPrimitives.WriteInt64BigEndian(field, value);
        }
    }

    private void ExpectString(bool containsNul)
    {
        if (containsNul)
        {
            throw new ArgumentException("An OSC string must not contain NUL.", "value");
        }

        if (!TryExpect(OscTypeTag.String) && !TryExpect(OscTypeTag.Symbol))
        {
            ThrowArgumentMismatch(OscTypeTag.String);
        }
    }

    private void Expect(char tag)
    {
        if (!TryExpect(tag))
        {
            ThrowArgumentMismatch(tag);
        }
    }

    /// <summary>Consumes the next declared tag if it is <paramref name="tag"/>. After an overflow the tags are
    /// not in the buffer to compare against, so only the count is checked.</summary>
    private bool TryExpect(char tag)
    {
        if (!_messageOpen || _argIndex >= _tagCount
            || (!HasOverflowed && _buffer[_tagStart + _argIndex] != (byte)tag))
        {
            return false;
        }

        _argIndex++;
        return true;
    }

    private readonly void ThrowArgumentMismatch(char tag) => OscThrowHelper.ThrowInvalidOperation(
        !_messageOpen ? "OscWriter: no message is open."
            : _argIndex >= _tagCount ? "OscWriter: more arguments written than type tags declared."
            : $"OscWriter: argument {_argIndex} was declared '{(char)_buffer[_tagStart + _argIndex]}', not '{tag}'.");
}
