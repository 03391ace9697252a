using Perpetuo.Control.Osc;
using static Perpetuo.Control.Tests.Osc.OscTestData;

namespace Perpetuo.Control.Tests.Osc;

public class OscMalformedPacketTests
{
    private const string Header = "2362756e 646c6500 00000000 00000001";

    public static TheoryData<string, string, string> MalformedPackets() => new()
    {
        { "empty packet", "", "empty" },
        { "length not a multiple of 4", "2f610000 2c", "multiple of 4" },
        { "address without slash", "61000000 2c000000", "start with '/'" },
        { "hash that is not a bundle", "2362756e 646c6578 00000000 00000001", "start with '/'" },
        { "address missing terminator", "2f616263", "no null terminator" },
        { "address padding not zero", "2f610001 2c000000", "non-zero" },
        { "type tags missing comma", "2f610000 69000000", "','" },
        { "type tags missing terminator", "2f610000 2c696969", "no null terminator" },
        { "unknown type tag", "2f610000 2c7a0000", "unknown" },
        { "array tag unsupported", "2f610000 2c5b5d00", "unknown" },
        { "truncated int32", "2f610000 2c690000", "truncated" },
        { "truncated int64", "2f610000 2c680000 00000001", "truncated" },
        { "truncated string argument", "2f610000 2c730000", "string is truncated" },
        { "string argument missing terminator", "2f610000 2c730000 61626364", "no null terminator" },
        { "string argument padding not zero", "2f610000 2c730000 61620041", "non-zero" },
        { "blob size beyond packet", "2f610000 2c620000 00000008 01020304", "past the end" },
        { "blob size near int max", "2f610000 2c620000 7fffffff 01020304", "past the end" },
        { "negative blob size", "2f610000 2c620000 ffffffff", "negative" },
        { "blob size field truncated", "2f610000 2c620000", "truncated" },
        { "blob padding not zero", "2f610000 2c620000 00000001 01020304", "non-zero" },
        { "trailing bytes after arguments", "2f610000 2c000000 00000001", "after its last argument" },
        { "bundle shorter than header", "2362756e 646c6500", "16-byte" },
        { "bundle missing time tag word", "2362756e 646c6500 00000000", "16-byte" },
        { "element size beyond bundle", Header + " 00000010 2f610000", "past the end of the bundle" },
        { "element size near int max", Header + " 7ffffffc 2f610000", "past the end of the bundle" },
        { "element size not multiple of 4", Header + " 00000005 2f610000 00000000", "not a multiple of 4" },
        { "element size zero", Header + " 00000000", "zero or negative" },
        { "element size negative", Header + " fffffffc 2f610000", "zero or negative" },
        { "element that is not a message", Header + " 00000004 61000000", "start with '/'" },
    };

    [Theory]
    [MemberData(nameof(MalformedPackets))]
    public void MalformedPacketIsRejectedWithAClearMessage(string name, string hex, string expected)
    {
        byte[] packet = Hex(hex);

        Assert.False(OscPacket.TryParse(packet, out _, out string? error), name);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.False(OscPacket.TryValidate(packet, out string? validateError));
        Assert.Equal(error, validateError);
        var thrown = Assert.Throws<OscParseException>(() => OscPacket.Parse(packet));
        Assert.Equal(error, thrown.Message);
    }

    [Fact]
    public void BundlesNestedTooDeepAreRejected()
    {
        byte[] packet = new OscMessage("/deep").ToArray();
        for (int i = 0; i <= OscLimits.MaxBundleDepth; i++)
        {
            packet = Bundle(1, packet);
        }

        Assert.False(OscPacket.TryParse(packet, out _, out string? error));
        Assert.Contains("nested deeper", error, StringComparison.Ordinal);
        Assert.False(OscPacket.TryValidate(packet, out _));
    }

    [Fact]
    public void OversizedPacketIsRejectedBeforeAnyFieldIsRead()
    {
        byte[] packet = new byte[OscLimits.MaxPacketLength + 4];
        packet[0] = (byte)'/';

        Assert.False(OscPacket.TryParse(packet, out _, out string? error));
        Assert.Contains("larger than", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ForgedBlobSizeDoesNotAllocate()
    {
        byte[] packet = Hex("2f610000 2c620000 7ffffff0 00000000");
        long before = GC.GetAllocatedBytesForCurrentThread();

        bool ok = OscMessageReader.TryCreate(packet, out _, out _);

        Assert.False(ok);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void MessageReaderRefusesABundleAndBundleReaderRefusesAMessage()
    {
        Assert.False(OscMessageReader.TryCreate(Bundle(1), out _, out string? messageError));
        Assert.Contains("bundle, not a message", messageError, StringComparison.Ordinal);
        Assert.False(OscBundleReader.TryCreate(SpecFrequencyMessage, out _, out string? bundleError));
        Assert.Contains("#bundle", bundleError, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryTruncationOfAValidMessageIsRejected()
    {
        byte[] full = EveryTypeMessage().ToArray();

        for (int length = 0; length < full.Length; length++)
        {
            Assert.False(OscPacket.TryParse(full.AsSpan(0, length), out _, out string? error), $"length {length}");
            Assert.False(string.IsNullOrEmpty(error));
        }
    }

    [Fact]
    public void TruncatedBundleIsRejectedUnlessCutExactlyBetweenElements()
    {
        // OSC bundles carry no element count, so a cut on an element boundary is a valid, shorter bundle.
        byte[] full = NestedBundle().ToArray();
        int[] boundaries = [16, 16 + 4 + 12, full.Length - 4 - 8];

        for (int length = 0; length < full.Length; length++)
        {
            bool ok = OscPacket.TryParse(full.AsSpan(0, length), out OscPacket? packet, out _);

            Assert.Equal(boundaries.Contains(length), ok);
            if (ok)
            {
                Assert.True(Assert.IsType<OscBundle>(packet).Elements.Count < 3);
            }
        }
    }
}
