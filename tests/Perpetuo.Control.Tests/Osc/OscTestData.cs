using System.Buffers.Binary;
using Perpetuo.Control.Osc;

namespace Perpetuo.Control.Tests.Osc;

/// <summary>Shared vectors and builders for the OSC tests.</summary>
internal static class OscTestData
{
    public static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    /// <summary>The spec's first example: "/oscillator/4/frequency" ,f 440.0.</summary>
    public static readonly byte[] SpecFrequencyMessage = Hex(
        "2f6f7363 696c6c61 746f722f 342f6672 65717565 6e637900 2c660000 43dc0000");

    /// <summary>The spec's second example: "/foo" ,iisff 1000 -1 "hello" 1.234 5.678.</summary>
    public static readonly byte[] SpecFooMessage = Hex(
        "2f666f6f 00000000 2c696973 66660000 000003e8 ffffffff 68656c6c 6f000000 3f9df3b6 40b5b22d");

    /// <summary>Wraps elements into a bundle by hand, without the codec, so invalid trees can be built.</summary>
    public static byte[] Bundle(ulong timeTag, params byte[][] elements)
    {
        var bytes = new List<byte>("#bundle\0"u8.ToArray());
        var word = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(word, timeTag);
        bytes.AddRange(word);
        foreach (byte[] element in elements)
        {
            BinaryPrimitives.WriteInt32BigEndian(word, element.Length);
            bytes.AddRange(word.AsSpan(0, 4).ToArray());
            bytes.AddRange(element);
        }

        return [.. bytes];
    }

    /// <summary>A message carrying one argument of every supported type.</summary>
    public static OscMessage EveryTypeMessage() => new(
        "/every/type",
        OscArgument.FromInt32(-123456),
        OscArgument.FromFloat(3.25f),
        OscArgument.FromString("héllo"),
        OscArgument.FromBlob([1, 2, 3, 4, 5]),
        OscArgument.FromInt64(long.MinValue + 7),
        OscArgument.FromDouble(Math.PI),
        OscArgument.FromTimeTag(OscTimeTag.FromParts(3_900_000_000, 0x8000_0000)),
        OscArgument.True,
        OscArgument.False,
        OscArgument.Nil,
        OscArgument.Impulse,
        OscArgument.FromSymbol("sym"),
        OscArgument.FromChar('x'),
        OscArgument.FromRgba(0x11223344),
        OscArgument.FromMidi(0x00904060));

    /// <summary>A nested bundle: outer(t=100) { /a 1, inner(t=200) { /b "x", /c 2.5 }, /d }.</summary>
    public static OscBundle NestedBundle() => new(
        OscTimeTag.FromParts(100, 0),
        new OscMessage("/a", 1),
        new OscBundle(OscTimeTag.FromParts(200, 0), new OscMessage("/b", "x"), new OscMessage("/c", 2.5f)),
        new OscMessage("/d"));
}
