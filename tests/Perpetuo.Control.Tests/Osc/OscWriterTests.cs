using Perpetuo.Control.Osc;
using static Perpetuo.Control.Tests.Osc.OscTestData;

namespace Perpetuo.Control.Tests.Osc;

public class OscWriterTests
{
    [Fact]
    public void OverflowIsReportedWithTheLengthThatWasNeeded()
    {
        Span<byte> buffer = stackalloc byte[16];
        var writer = new OscWriter(buffer);
        writer.BeginMessage("/oscillator/4/frequency"u8, "f"u8);
        writer.WriteFloat(440f);
        writer.EndMessage();

        Assert.True(writer.HasOverflowed);
        Assert.False(writer.TryFinish(out int needed));
        Assert.Equal(SpecFrequencyMessage.Length, needed);
    }

    [Fact]
    public void OverflowInsideANestedBundleNeverWritesPastTheBuffer()
    {
        byte[] expected = NestedBundle().ToArray();
        for (int size = 0; size < expected.Length; size++)
        {
            byte[] buffer = new byte[size];
            var writer = new OscWriter(buffer);
            NestedBundle().WriteTo(ref writer);

            Assert.False(writer.TryFinish(out int needed));
            Assert.Equal(expected.Length, needed);
        }
    }

    [Fact]
    public void BooleanArgumentSetsItsDeclaredTagToMatchTheValue()
    {
        Span<byte> buffer = stackalloc byte[32];
        var writer = new OscWriter(buffer);
        writer.BeginMessage("/b"u8, "TF"u8);
        writer.WriteBoolean(false);
        writer.WriteBoolean(true);
        writer.EndMessage();
        writer.TryFinish(out int length);

        Assert.Equal(Hex("2f620000 2c465400"), buffer[..length].ToArray());
    }

    [Fact]
    public void WritingAnArgumentOfTheWrongTypeThrows()
    {
        byte[] buffer = new byte[64];
        var error = Assert.Throws<InvalidOperationException>(() =>
        {
            var writer = new OscWriter(buffer);
            writer.BeginMessage("/a"u8, "i"u8);
            writer.WriteFloat(1f);
        });

        Assert.Contains("declared 'i', not 'f'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EndingAMessageBeforeEveryArgumentThrows()
    {
        byte[] buffer = new byte[64];
        Assert.Throws<InvalidOperationException>(() =>
        {
            var writer = new OscWriter(buffer);
            writer.BeginMessage("/a"u8, "ii"u8);
            writer.WriteInt32(1);
            writer.EndMessage();
        });
    }

    [Fact]
    public void WritingMoreArgumentsThanDeclaredThrows()
    {
        byte[] buffer = new byte[64];
        Assert.Throws<InvalidOperationException>(() =>
        {
            var writer = new OscWriter(buffer);
            writer.BeginMessage("/a"u8, "i"u8);
            writer.WriteInt32(1);
            writer.WriteInt32(2);
        });
    }

    [Fact]
    public void UnknownTypeTagsAndBadAddressesAreRejected()
    {
        byte[] buffer = new byte[64];
        Assert.Throws<ArgumentException>(() => new OscWriter(buffer).BeginMessage("/a"u8, "q"u8));
        Assert.Throws<ArgumentException>(() => new OscWriter(buffer).BeginMessage("a"u8, "i"u8));
        Assert.Throws<ArgumentException>(() => new OscWriter(buffer).BeginMessage(""u8, ""u8));
    }

    [Fact]
    public void BundlesNestedPastTheLimitThrow()
    {
        byte[] buffer = new byte[1024];
        Assert.Throws<InvalidOperationException>(() =>
        {
            var writer = new OscWriter(buffer);
            for (int i = 0; i <= OscLimits.MaxBundleDepth; i++)
            {
                writer.BeginBundle(OscTimeTag.Immediate);
            }
        });
    }

    [Fact]
    public void OnlyOneTopLevelPacketCanBeWrittenUntilReset()
    {
        byte[] buffer = new byte[64];
        var writer = new OscWriter(buffer);
        writer.BeginMessage("/a"u8, ""u8);
        writer.EndMessage();

        bool threw = false;
        try
        {
            writer.BeginMessage("/b"u8, ""u8);
        }
        catch (InvalidOperationException)
        {
            threw = true;
        }

        writer.Reset();
        writer.BeginMessage("/b"u8, ""u8);
        writer.EndMessage();

        Assert.True(threw);
        Assert.True(writer.TryFinish(out int length));
        Assert.Equal(Hex("2f620000 2c000000"), buffer[..length]);
    }

    [Fact]
    public void FinishingAnIncompletePacketThrows()
    {
        byte[] buffer = new byte[64];
        Assert.Throws<InvalidOperationException>(() =>
        {
            var writer = new OscWriter(buffer);
            writer.BeginBundle(OscTimeTag.Immediate);
            writer.TryFinish(out _);
        });
    }

    [Fact]
    public void AllocatedPacketCanBeEmbeddedInAWriterBundle()
    {
        byte[] buffer = new byte[128];
        var writer = new OscWriter(buffer);
        writer.BeginBundle(OscTimeTag.Immediate);
        new OscMessage("/a", 5).WriteTo(ref writer);
        writer.EndBundle();

        Assert.True(writer.TryFinish(out int length));
        Assert.Equal(new OscBundle(OscTimeTag.Immediate, new OscMessage("/a", 5)).ToArray(), buffer[..length]);
    }
}
