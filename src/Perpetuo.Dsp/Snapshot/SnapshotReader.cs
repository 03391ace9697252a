using System.Buffers.Binary;
using System.Text;

namespace Perpetuo.Dsp;

/// <summary>
/// Bounds-checked reader for untrusted snapshot bytes. Every read checks the remaining length and every
/// count, length and float is range-checked by the caller-supplied limits; any violation is a
/// <see cref="DspException"/> naming the field and byte offset. Nothing is allocated from a length before it is checked.
/// </summary>
internal ref struct SnapshotReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);
    private readonly ReadOnlySpan<byte> _data;
    private int _pos;

    public SnapshotReader(ReadOnlySpan<byte> data) => _data = data;

    public readonly int Position => _pos;

    public readonly int Remaining => _data.Length - _pos;

    public byte ReadByte() => Take(1, "byte")[0];

    public bool ReadBool(string field)
    {
        byte b = ReadByte();
        return b <= 1 ? b == 1 : throw Bad(field, b.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public int ReadInt32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4, "int32"));

    public int ReadInt32(string field, int min, int max)
    {
        int v = ReadInt32();
        return v >= min && v <= max ? v : throw Bad(field, $"{v} (expected {min}..{max})");
    }

    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4, "uint32"));

    public long ReadInt64(string field, long min, long max)
    {
        long v = BinaryPrimitives.ReadInt64LittleEndian(Take(8, field));
        return v >= min && v <= max ? v : throw Bad(field, $"{v} (expected {min}..{max})");
    }

    public ulong ReadUInt64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8, "uint64"));

    public float ReadSingle() => BinaryPrimitives.ReadSingleLittleEndian(Take(4, "float"));

    /// <summary>A finite float in [min, max].</summary>
    public float ReadSingle(string field, float min, float max)
    {
        float v = ReadSingle();
        return v >= min && v <= max ? v : throw Bad(field, v.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>A finite double in [min, max].</summary>
    public double ReadDouble(string field, double min, double max)
    {
        double v = BinaryPrimitives.ReadDoubleLittleEndian(Take(8, field));
        return v >= min && v <= max ? v : throw Bad(field, v.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>A length-prefixed UTF-8 string of at most <paramref name="maxBytes"/> bytes.</summary>
    public string ReadString(string field, int maxBytes)
    {
        int length = ReadInt32(field + " length", 0, maxBytes);
        ReadOnlySpan<byte> bytes = Take(length, field);
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new DspException($"snapshot: {field} is not valid UTF-8 at byte {_pos - length}", e);
        }
    }

    private ReadOnlySpan<byte> Take(int count, string field)
    {
        if (count > Remaining)
        {
            throw new DspException($"snapshot truncated: {field} needs {count} bytes at byte {_pos}, {Remaining} left");
        }

        ReadOnlySpan<byte> s = _data.Slice(_pos, count);
        _pos += count;
        return s;
    }

    private readonly DspException Bad(string field, string value) =>
        new($"snapshot: invalid {field} {value} before byte {_pos}");
}
