using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Perpetuo.Transport;

/// <summary>
/// One fixed-size command in a slot's command ring: what to do, and the block and frame at which to do it.
/// </summary>
/// <remarks>
/// Pointer-free and fixed-size so it can live in shared memory. Strings are UTF-8 with explicit lengths, bounded by
/// <see cref="MaxIdBytes"/> and <see cref="MaxNameBytes"/>; a reader must range-check the lengths (the record is
/// untrusted on the worker side as much as any shared memory).
/// </remarks>
[StructLayout(LayoutKind.Explicit, Size = Size)]
public struct CommandRecord
{
    /// <summary>Bytes per record (one line).</summary>
    public const int Size = 128;

    /// <summary>Largest module id in bytes.</summary>
    public const int MaxIdBytes = Perpetuo.Protocol.Limits.MaxIdBytes;

    /// <summary>Largest type or parameter name in bytes.</summary>
    public const int MaxNameBytes = Perpetuo.Protocol.Limits.MaxNameBytes;

    /// <summary>Ring position of this record, written last by the producer (validity check for the consumer).</summary>
    [FieldOffset(0)] public long Position;
    /// <summary>Block at which the command takes effect.</summary>
    [FieldOffset(8)] public long ApplyBlock;
    /// <summary>Frame within <see cref="ApplyBlock"/> at which it takes effect.</summary>
    [FieldOffset(16)] public int FrameOffset;
    [FieldOffset(20)] public int Kind;
    [FieldOffset(24)] public float Value;
    [FieldOffset(28)] public float Value2;
    [FieldOffset(32)] public int IdLength;
    [FieldOffset(36)] public int NameLength;
    [FieldOffset(40)] public IdBytes Id;
    [FieldOffset(80)] public NameBytes Name;

    /// <summary>Builds a record; throws <see cref="ArgumentException"/> if a string is too long. Control thread.</summary>
    public static CommandRecord Create(int kind, long applyBlock, int frameOffset, string id = "", string name = "",
                                       float value = 0, float value2 = 0)
    {
        var r = new CommandRecord
        {
            ApplyBlock = applyBlock,
            FrameOffset = frameOffset,
            Kind = kind,
            Value = value,
            Value2 = value2,
        };
        r.IdLength = Encode(id, r.Id, MaxIdBytes, "module id");
        r.NameLength = Encode(name, r.Name, MaxNameBytes, "name");
        return r;
    }

    /// <summary>The id, or null if its stored length is out of range.</summary>
    public readonly string? IdString => Decode(Id, IdLength, MaxIdBytes);

    /// <summary>The name, or null if its stored length is out of range.</summary>
    public readonly string? NameString => Decode(Name, NameLength, MaxNameBytes);

    private static int Encode(string s, Span<byte> dest, int max, string what)
    {
        int n = Encoding.UTF8.GetByteCount(s);
        if (n > max)
        {
            throw new ArgumentException($"{what} \"{s}\" is {n} bytes; at most {max} are allowed");
        }
        return Encoding.UTF8.GetBytes(s, dest);
    }

    private static string? Decode(ReadOnlySpan<byte> bytes, int length, int max) =>
        length < 0 || length > max ? null : Encoding.UTF8.GetString(bytes[..length]);

    /// <summary>Inline UTF-8 storage for a module id.</summary>
    [InlineArray(MaxIdBytes)]
    public struct IdBytes
    {
        private byte _element;
    }

    /// <summary>Inline UTF-8 storage for a type or parameter name.</summary>
    [InlineArray(MaxNameBytes)]
    public struct NameBytes
    {
        private byte _element;
    }
}
