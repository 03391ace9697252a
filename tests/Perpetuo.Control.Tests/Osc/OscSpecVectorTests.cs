using Perpetuo.Control.Osc;
using static Perpetuo.Control.Tests.Osc.OscTestData;

namespace Perpetuo.Control.Tests.Osc;

public class OscSpecVectorTests
{
    [Fact]
    public void FrequencyExampleEncodesToTheSpecBytes()
    {
        var message = new OscMessage("/oscillator/4/frequency", 440.0f);

        Assert.Equal(SpecFrequencyMessage, message.ToArray());
        Assert.Equal(32, message.GetEncodedLength());
    }

    [Fact]
    public void FrequencyExampleDecodesFromTheSpecBytes()
    {
        var reader = new OscMessageReader(SpecFrequencyMessage);

        Assert.True(reader.AddressEquals("/oscillator/4/frequency"u8));
        Assert.Equal("f"u8.ToArray(), reader.TypeTags.ToArray());
        Assert.Equal(440.0f, reader.ReadFloat());
        Assert.False(reader.HasMoreArguments);
    }

    [Fact]
    public void IisffExampleEncodesToTheSpecBytes()
    {
        var message = new OscMessage("/foo", 1000, -1, "hello", 1.234f, 5.678f);

        Assert.Equal("iisff", message.TypeTags);
        Assert.Equal(SpecFooMessage, message.ToArray());
    }

    [Fact]
    public void IisffExampleDecodesFromTheSpecBytes()
    {
        var message = Assert.IsType<OscMessage>(OscPacket.Parse(SpecFooMessage));

        Assert.Equal("/foo", message.Address);
        Assert.Equal(new object?[] { 1000, -1, "hello", 1.234f, 5.678f }, message.Arguments.Select(a => a.Value));
    }

    [Fact]
    public void OscWriterProducesTheSpecBytesWithoutTheAllocatingApi()
    {
        Span<byte> buffer = stackalloc byte[64];
        var writer = new OscWriter(buffer);
        writer.BeginMessage("/foo"u8, "iisff"u8);
        writer.WriteInt32(1000);
        writer.WriteInt32(-1);
        writer.WriteString("hello"u8);
        writer.WriteFloat(1.234f);
        writer.WriteFloat(5.678f);
        writer.EndMessage();

        Assert.True(writer.TryFinish(out int length));
        Assert.Equal(SpecFooMessage, buffer[..length].ToArray());
    }

    [Fact]
    public void StringsArePaddedToFourBytesWithAtLeastOneNull()
    {
        Assert.Equal(Hex("2f4f5343 00000000 2c000000"), new OscMessage("/OSC").ToArray());
        Assert.Equal(Hex("2f646174 61000000 2c000000"), new OscMessage("/data").ToArray());
    }

    [Fact]
    public void BundleEncodesToHandWrittenBytes()
    {
        var bundle = new OscBundle(OscTimeTag.Immediate, new OscMessage("/a", 5));

        byte[] expected = Hex("2362756e 646c6500 00000000 00000001 0000000c 2f610000 2c690000 00000005");
        Assert.Equal(expected, bundle.ToArray());
    }

    [Fact]
    public void BlobIsSizePrefixedAndZeroPadded()
    {
        var message = new OscMessage("/b", OscArgument.FromBlob([0xAA, 0xBB, 0xCC, 0xDD, 0xEE]));

        Assert.Equal(Hex("2f620000 2c620000 00000005 aabbccdd ee000000"), message.ToArray());
    }

    [Fact]
    public void Int64DoubleAndTimeTagAreBigEndianEightByteWords()
    {
        var message = new OscMessage("/x", 0x0102030405060708L, 1.0, OscTimeTag.FromParts(0xAABBCCDD, 0x11223344));

        Assert.Equal(
            Hex("2f780000 2c686474 00000000 01020304 05060708 3ff00000 00000000 aabbccdd 11223344"),
            message.ToArray());
    }

    [Fact]
    public void DatalessTagsCarryNoBytes()
    {
        var message = new OscMessage("/x", true, false, OscArgument.Nil, OscArgument.Impulse);

        Assert.Equal(Hex("2f780000 2c54464e 49000000"), message.ToArray());
    }

    [Fact]
    public void MessageWithoutTypeTagStringIsRejectedAsPossiblyTruncated()
    {
        Assert.False(OscMessageReader.TryCreate(Hex("2f666f6f 00000000"), out _, out string? error));

        Assert.Contains("no type tag string", error, StringComparison.Ordinal);
    }

    [Fact]
    public void MessageWithNoArgumentsHasACommaOnlyTypeTagString()
    {
        var reader = new OscMessageReader(Hex("2f666f6f 00000000 2c000000"));

        Assert.True(reader.AddressEquals("/foo"u8));
        Assert.Equal(0, reader.ArgumentCount);
    }
}
