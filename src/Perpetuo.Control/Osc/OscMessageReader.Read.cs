namespace Perpetuo.Control.Osc;

// Typed reads. Each TryRead… consumes the next argument only when its tag matches and leaves the reader
// untouched otherwise; each Read… does the same or throws OscParseException naming the index and both tags.
public ref partial struct OscMessageReader
{
    /// <summary>Reads the next argument as '{OscTypeTag.Int32}'; false, without consuming it, if it is not one.</summary>
    public bool TryReadInt32(out int value)
    {
        bool ok = TryTake(OscTypeTag.Int32, out int start);
        value = ok ? ReadInt32At(start) : default;
        return ok;
    }

    /// <exception cref="OscParseException">The next argument is missing or not of type '{OscTypeTag.Int32}'.</exception>
    public int ReadInt32()
    {
        if (!TryReadInt32(out int value))
        {
            OscThrowHelper.ThrowTypeMismatch(OscTypeTag.Int32, NextType, _index);
        }

        return value;
    }

    /// <summary>Reads the next argument as '{OscTypeTag.Float}'; false, without consuming it, if it is not one.</summary>
    public bool TryReadFloat(out float value)
    {
        bool ok = TryTake(OscTypeTag.Float, out int start);
        value = ok ? BitConverter.Int32BitsToSingle(ReadInt32At(start)) : default;
        return ok;
    }

    /// <exception cref="OscParseException">The next argument is missing or not of type '{OscTypeTag.Float}'.</exception>
    public float ReadFloat()
    {
        if (!TryReadFloat(out float value))
        {
            OscThrowHelper.ThrowTypeMismatch(OscTypeTag.Float, NextType, _index);
        }

        return value;
    }

    /// <summary>Reads the next argument as '{OscTypeTag.Int64}'; false, without consuming it, if it is not one.</summary>
    public bool TryReadInt64(out long value)
    {
        bool ok = TryTake(OscTypeTag.Int64, out int start);
        value = ok ? ReadInt64At(start) : default;
        return ok;
    }

    /// <exception cref="OscParseException">The next argument is missing or not of type '{OscTypeTag.Int64}'.</exception>
    public long ReadInt64()
    {
        if (!TryReadInt64(out long value))
        {
            OscThrowHelper.ThrowTypeMismatch(OscTypeTag.Int64, NextType, _index);
        }

        return value;
    }

    /// <summary>Reads the next argument as '{OscTypeTag.Double}'; false, without consuming it, if it is not one.</summary>
    public bool TryReadDouble(out double value)
    {
        bool ok = TryTake(OscTypeTag.Double, out int start);
        value = ok ? BitConverter.Int64BitsToDouble(ReadInt64At(start)) : default;
        return ok;
    }

    /// <exception cref="OscParseException">The next argument is missing or not of type '{OscTypeTag.Double}'.</exception>
    public double ReadDouble()
    {
        if (!TryReadDouble(out double value))
        {
            OscThrowHelper.ThrowTypeMismatch(OscTypeTag.Double, NextType, _index);
        }

        return value;
    }

    /// <summary>Reads the next argument as '{OscTypeTag.TimeTag}'; false, without consuming it, if it is not one.</summary>
    public bool TryReadTimeTag(out OscTimeTag value)
    {
        bool ok = TryTake(OscTypeTag.TimeTag, out int start);
        value = ok ? new OscTimeTag(unchecked((ulong)ReadInt64At(start))) : default;
        return ok;
    }

    /// <exception cref="OscParseException">The next argument is missing or not of type '{OscTypeTag.TimeTag}'.</exception>
    public OscTimeTag ReadTimeTag()
    {
        if (!TryReadTimeTag(out OscTimeTag value))
        {
            OscThrowHelper.ThrowTypeMismatch(OscTypeTag.TimeTag, NextType, _index);
        }

        return value;
    }

    /// <summary>Reads the next argument as '{OscTypeTag.Char}'; false, without consuming it, if it is not one.</summary>
    public bool TryReadChar(out char value)
    {
        bool ok = TryTake(OscTypeTag.Char, out int start);
        value = ok ? (char)ReadInt32At(start) : default;
        return ok;
    }

    /// <exception cref="OscParseException">The next argument is missing or not of type '{OscTypeTag.Char}'.</exception>
    public char ReadChar()
    {
        if (!TryReadChar(out char value))
        {
            OscThrowHelper.ThrowTypeMismatch(OscTypeTag.Char, NextType, _index);
        }

        return value;
    }

    /// <summary>Reads the next argument as '{OscTypeTag.Rgba}'; false, without consuming it, if it is not one.</summary>
    public bool TryReadRgba(out uint value)
    {
        bool ok = TryTake(OscTypeTag.Rgba, out int start);
        value = ok ? unchecked((uint)ReadInt32At(start)) : default;
        return ok;
    }

    /// <exception cref="OscParseException">The next argument is missing or not of type '{OscTypeTag.Rgba}'.</exception>
    public uint ReadRgba()
    {
        if (!TryReadRgba(out uint value))
        {
            OscThrowHelper.ThrowTypeMismatch(OscTypeTag.Rgba, NextType, _index);
        }

        return value;
    }

    /// <summary>Reads the next argument as '{OscTypeTag.Midi}'; false, without consuming it, if it is not one.</summary>
    public bool TryReadMidi(out uint value)
    {
        bool ok = TryTake(OscTypeTag.Midi, out int start);
        value = ok ? unchecked((uint)ReadInt32At(start)) : default;
        return ok;
    }

    /// <exception cref="OscParseException">The next argument is missing or not of type '{OscTypeTag.Midi}'.</exception>
    public uint ReadMidi()
    {
        if (!TryReadMidi(out uint value))
        {
            OscThrowHelper.ThrowTypeMismatch(OscTypeTag.Midi, NextType, _index);
        }

        return value;
    }

    /// <summary>Reads the next 's' or 'S' argument as UTF-8 bytes without terminator; false if it is neither.</summary>
    public bool TryReadString(out ReadOnlySpan<byte> value)
    {
        char tag = NextType;
        if (tag is not (OscTypeTag.String or OscTypeTag.Symbol))
        {
            value = default;
            return false;
        }

        // Cannot fail: TryCreate has already validated this string.
        OscWire.TryReadString(_packet, ref _position, out value, out _);
        _index++;
        return true;
    }

    /// <exception cref="OscParseException">The next argument is missing or not a string.</exception>
    public ReadOnlySpan<byte> ReadString()
    {
        if (!TryReadString(out ReadOnlySpan<byte> value))
        {
            OscThrowHelper.ThrowTypeMismatch(OscTypeTag.String, NextType, _index);
        }

        return value;
    }

    /// <summary>Reads the next 'b' argument's bytes; false, without consuming it, if it is not a blob.</summary>
    public bool TryReadBlob(out ReadOnlySpan<byte> value)
    {
        if (NextType != OscTypeTag.Blob)
        {
            value = default;
            return false;
        }

        // Cannot fail: TryCreate has already validated this blob.
        OscWire.TryReadBlob(_packet, ref _position, out value, out _);
        _index++;
        return true;
    }

    /// <exception cref="OscParseException">The next argument is missing or not a blob.</exception>
    public ReadOnlySpan<byte> ReadBlob()
    {
        if (!TryReadBlob(out ReadOnlySpan<byte> value))
        {
            OscThrowHelper.ThrowTypeMismatch(OscTypeTag.Blob, NextType, _index);
        }

        return value;
    }

    /// <summary>Reads the next 'T' or 'F' argument; false, without consuming it, if it is neither.</summary>
    public bool TryReadBoolean(out bool value)
    {
        value = NextType == OscTypeTag.True;
        return TryTake(OscTypeTag.True, out _) || TryTake(OscTypeTag.False, out _);
    }

    /// <exception cref="OscParseException">The next argument is missing or not 'T' or 'F'.</exception>
    public bool ReadBoolean()
    {
        if (!TryReadBoolean(out bool value))
        {
            OscThrowHelper.ThrowTypeMismatch(OscTypeTag.True, NextType, _index);
        }

        return value;
    }

    /// <summary>Consumes the next argument if it is 'N' (nil).</summary>
    public bool TryReadNil() => TryTake(OscTypeTag.Nil, out _);

    /// <summary>Consumes the next argument if it is 'I' (impulse, "infinitum" in OSC 1.0).</summary>
    public bool TryReadImpulse() => TryTake(OscTypeTag.Impulse, out _);

    /// <summary>
    /// Reads the next 'i', 'h', 'f' or 'd' argument as a double, for control values that clients send as
    /// integers or floats interchangeably. False, without consuming it, for any other type.
    /// </summary>
    public bool TryReadNumber(out double value)
    {
        switch (NextType)
        {
            case OscTypeTag.Int32: value = ReadInt32(); return true;
            case OscTypeTag.Int64: value = ReadInt64(); return true;
            case OscTypeTag.Float: value = ReadFloat(); return true;
            case OscTypeTag.Double: value = ReadDouble(); return true;
            default: value = 0; return false;
        }
    }

    /// <exception cref="OscParseException">The next argument is missing or not numeric.</exception>
    public double ReadNumber()
    {
        if (!TryReadNumber(out double value))
        {
            OscThrowHelper.ThrowTypeMismatch(OscTypeTag.Float, NextType, _index);
        }

        return value;
    }
}
