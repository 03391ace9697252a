using Perpetuo.Control.Osc;
using static Perpetuo.Control.Tests.Osc.OscTestData;

namespace Perpetuo.Control.Tests.Osc;

public class OscRoundTripTests
{
    public static TheoryData<string, OscArgument> EveryType() => new()
    {
        { "int32 min", OscArgument.FromInt32(int.MinValue) },
        { "int32 max", OscArgument.FromInt32(int.MaxValue) },
        { "float", OscArgument.FromFloat(-0.15625f) },
        { "float NaN", OscArgument.FromFloat(float.NaN) },
        { "float infinity", OscArgument.FromFloat(float.NegativeInfinity) },
        { "empty string", OscArgument.FromString("") },
        { "string of three", OscArgument.FromString("abc") },
        { "string of four", OscArgument.FromString("abcd") },
        { "utf-8 string", OscArgument.FromString("Größe ♪") },
        { "symbol", OscArgument.FromSymbol("freq") },
        { "empty blob", OscArgument.FromBlob([]) },
        { "blob of four", OscArgument.FromBlob([1, 2, 3, 4]) },
        { "blob of seven", OscArgument.FromBlob([1, 2, 3, 4, 5, 6, 7]) },
        { "int64", OscArgument.FromInt64(-0x0123456789ABCDEF) },
        { "double", OscArgument.FromDouble(double.Epsilon) },
        { "time tag", OscArgument.FromTimeTag(new OscTimeTag(0xFEDCBA9876543210)) },
        { "true", OscArgument.True },
        { "false", OscArgument.False },
        { "nil", OscArgument.Nil },
        { "impulse", OscArgument.Impulse },
        { "char", OscArgument.FromChar('Z') },
        { "rgba", OscArgument.FromRgba(0xFF8000C0) },
        { "midi", OscArgument.FromMidi(0x01903C7F) },
    };

    [Theory]
    [MemberData(nameof(EveryType))]
    public void EveryTypeSurvivesEncodeAndParse(string name, OscArgument argument)
    {
        var message = new OscMessage("/rt", 7, argument, "after");

        byte[] bytes = message.ToArray();
        var parsed = Assert.IsType<OscMessage>(OscPacket.Parse(bytes));

        Assert.Equal(message.GetEncodedLength(), bytes.Length);
        Assert.Equal(0, bytes.Length % 4);
        Assert.Equal("/rt", parsed.Address);
        Assert.Equal(message.Arguments, parsed.Arguments);
        Assert.Equal(bytes, parsed.ToArray());
        Assert.NotNull(name);
    }

    [Fact]
    public void MessageWithEveryTypeReadsBackThroughTheSpanReader()
    {
        byte[] bytes = EveryTypeMessage().ToArray();
        var reader = new OscMessageReader(bytes);

        Assert.Equal("ifsbhdtTFNIScrm"u8.ToArray(), reader.TypeTags.ToArray());
        Assert.Equal(-123456, reader.ReadInt32());
        Assert.Equal(3.25f, reader.ReadFloat());
        Assert.Equal("héllo"u8.ToArray(), reader.ReadString().ToArray());
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5 }, reader.ReadBlob().ToArray());
        Assert.Equal(long.MinValue + 7, reader.ReadInt64());
        Assert.Equal(Math.PI, reader.ReadDouble());
        Assert.Equal(OscTimeTag.FromParts(3_900_000_000, 0x8000_0000), reader.ReadTimeTag());
        Assert.True(reader.ReadBoolean());
        Assert.False(reader.ReadBoolean());
        Assert.True(reader.TryReadNil());
        Assert.True(reader.TryReadImpulse());
        Assert.Equal("sym"u8.ToArray(), reader.ReadString().ToArray());
        Assert.Equal('x', reader.ReadChar());
        Assert.Equal(0x11223344u, reader.ReadRgba());
        Assert.Equal(0x00904060u, reader.ReadMidi());
        Assert.False(reader.HasMoreArguments);
    }

    [Fact]
    public void ReadingTheWrongTypeThrowsAndLeavesTheArgumentUnread()
    {
        var reader = new OscMessageReader(SpecFooMessage);

        Assert.False(reader.TryReadFloat(out _));
        Assert.Equal(0, reader.ArgumentIndex);
        OscParseException? error = null;
        try
        {
            reader.ReadString();
        }
        catch (OscParseException e)
        {
            error = e;
        }

        Assert.NotNull(error);
        Assert.Contains("found 'i'", error.Message, StringComparison.Ordinal);
        Assert.Equal(1000, reader.ReadInt32());
    }

    [Fact]
    public void ReadingPastTheLastArgumentFailsWithoutThrowingFromTryRead()
    {
        var reader = new OscMessageReader(SpecFrequencyMessage);
        reader.ReadFloat();

        Assert.False(reader.TryReadFloat(out _));
        Assert.False(reader.TrySkip());
        Assert.Equal('\0', reader.NextType);
    }

    [Fact]
    public void NumberReadAcceptsIntegersAndFloatsOfBothWidths()
    {
        byte[] bytes = new OscMessage("/n", 2, 3L, 0.5f, 0.25, "no").ToArray();
        var reader = new OscMessageReader(bytes);

        Assert.Equal(2.0, reader.ReadNumber());
        Assert.Equal(3.0, reader.ReadNumber());
        Assert.Equal(0.5, reader.ReadNumber());
        Assert.Equal(0.25, reader.ReadNumber());
        Assert.False(reader.TryReadNumber(out _));
    }

    [Fact]
    public void ResetRewindsToTheFirstArgument()
    {
        var reader = new OscMessageReader(SpecFooMessage);
        reader.ReadInt32();
        reader.TrySkip();
        reader.TrySkip();

        reader.Reset();

        Assert.Equal(1000, reader.ReadInt32());
    }

    [Fact]
    public void TryEncodeReportsTooSmallBufferWithoutWriting()
    {
        var message = new OscMessage("/foo", 1000, -1, "hello", 1.234f, 5.678f);

        Assert.False(message.TryEncode(new byte[39], out int written));
        Assert.Equal(0, written);
        Assert.True(message.TryEncode(new byte[40], out written));
        Assert.Equal(40, written);
    }

    [Fact]
    public void MessageRejectsAnAddressWithoutLeadingSlash()
    {
        Assert.Throws<ArgumentException>(() => new OscMessage("foo"));
        Assert.Throws<ArgumentException>(() => new OscMessage("/a\0b"));
        Assert.Throws<ArgumentException>(() => new OscMessage("/a", default(OscArgument)));
    }

    [Fact]
    public void StringArgumentsRejectEmbeddedNull()
    {
        Assert.Throws<ArgumentException>(() => OscArgument.FromString("a\0b"));
    }

    [Fact]
    public void ArgumentAccessorOfTheWrongTypeThrowsInvalidOperation()
    {
        Assert.Throws<InvalidOperationException>(() => OscArgument.FromInt32(1).AsFloat());
        Assert.Throws<InvalidOperationException>(() => OscArgument.Nil.AsBoolean());
    }
}
