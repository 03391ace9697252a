using Perpetuo.Control.Osc;
using static Perpetuo.Control.Tests.Osc.OscTestData;

namespace Perpetuo.Control.Tests.Osc;

public class OscBundleTests
{
    private struct RecordingVisitor : IOscMessageVisitor
    {
        public List<string> Seen;

        public void Visit(OscMessageReader message, OscTimeTag timeTag) =>
            Seen.Add($"{System.Text.Encoding.UTF8.GetString(message.Address)}@{timeTag.Seconds}");
    }

    [Fact]
    public void NestedBundleSurvivesEncodeAndParse()
    {
        OscBundle original = NestedBundle();

        var parsed = Assert.IsType<OscBundle>(OscPacket.Parse(original.ToArray()));

        Assert.Equal(original.TimeTag, parsed.TimeTag);
        Assert.Equal(3, parsed.Elements.Count);
        var inner = Assert.IsType<OscBundle>(parsed.Elements[1]);
        Assert.Equal(200u, inner.TimeTag.Seconds);
        Assert.Equal("/c", Assert.IsType<OscMessage>(inner.Elements[1]).Address);
        Assert.Equal(2.5f, Assert.IsType<OscMessage>(inner.Elements[1]).Arguments[0].AsFloat());
        Assert.Equal(original.ToArray(), parsed.ToArray());
    }

    [Fact]
    public void WalkVisitsMessagesInOrderWithTheInnermostTimeTag()
    {
        var visitor = new RecordingVisitor { Seen = [] };

        Assert.True(OscPacket.TryWalk(NestedBundle().ToArray(), ref visitor, out string? error), error);

        Assert.Equal(["/a@100", "/b@200", "/c@200", "/d@100"], visitor.Seen);
    }

    [Fact]
    public void WalkOfABareMessageUsesImmediate()
    {
        var visitor = new RecordingVisitor { Seen = [] };

        OscPacket.Walk(SpecFrequencyMessage, ref visitor);

        Assert.Equal(["/oscillator/4/frequency@0"], visitor.Seen);
    }

    [Fact]
    public void WalkVisitsNothingWhenAnyElementIsMalformed()
    {
        byte[] bad = Bundle(5, new OscMessage("/ok").ToArray(), Hex("2f610000 2c7a0000"));
        var visitor = new RecordingVisitor { Seen = [] };

        Assert.False(OscPacket.TryWalk(bad, ref visitor, out string? error));

        Assert.Empty(visitor.Seen);
        Assert.Contains("unknown", error, StringComparison.Ordinal);
    }

    [Fact]
    public void BundleReaderEnumeratesElementsWithTheirTimeTag()
    {
        byte[] bytes = NestedBundle().ToArray();
        var reader = new OscBundleReader(bytes);
        var kinds = new List<string>();

        foreach (OscBundleElement element in reader)
        {
            Assert.Equal(100u, element.TimeTag.Seconds);
            if (element.IsBundle)
            {
                OscBundleReader inner = element.GetBundle();
                Assert.Equal(2, inner.Depth);
                kinds.Add($"bundle({inner.ElementCount})");
            }
            else
            {
                kinds.Add(System.Text.Encoding.UTF8.GetString(element.GetMessage().Address));
            }
        }

        Assert.Equal(3, reader.ElementCount);
        Assert.Equal(["/a", "bundle(2)", "/d"], kinds);
    }

    [Fact]
    public void EmptyBundleIsValid()
    {
        var parsed = Assert.IsType<OscBundle>(OscPacket.Parse(Bundle(42)));

        Assert.Empty(parsed.Elements);
        Assert.Equal(42ul, parsed.TimeTag.Value);
    }

    [Fact]
    public void BundlesNestedToTheLimitAreAccepted()
    {
        OscPacket packet = new OscMessage("/deep");
        for (int i = 0; i < OscLimits.MaxBundleDepth; i++)
        {
            packet = new OscBundle(OscTimeTag.Immediate, packet);
        }

        Assert.True(OscPacket.TryParse(packet.ToArray(), out _, out string? error), error);
        Assert.Throws<ArgumentException>(() => new OscBundle(OscTimeTag.Immediate, packet));
    }

    [Fact]
    public void WriterBuildsTheSameNestedBundleAsTheAllocatingApi()
    {
        Span<byte> buffer = stackalloc byte[256];
        var writer = new OscWriter(buffer);
        writer.BeginBundle(OscTimeTag.FromParts(100, 0));
        writer.BeginMessage("/a"u8, "i"u8);
        writer.WriteInt32(1);
        writer.EndMessage();
        writer.BeginBundle(OscTimeTag.FromParts(200, 0));
        writer.BeginMessage("/b", ",s");
        writer.WriteString("x");
        writer.EndMessage();
        writer.BeginMessage("/c"u8, "f"u8);
        writer.WriteFloat(2.5f);
        writer.EndMessage();
        writer.EndBundle();
        writer.BeginMessage("/d"u8, ""u8);
        writer.EndMessage();
        writer.EndBundle();

        Assert.True(writer.TryFinish(out int length));
        Assert.Equal(NestedBundle().ToArray(), buffer[..length].ToArray());
    }
}
