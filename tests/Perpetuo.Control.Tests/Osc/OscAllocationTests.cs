using Perpetuo.Control.Osc;

namespace Perpetuo.Control.Tests.Osc;

public class OscAllocationTests
{
    private const int Iterations = 10_000;

    private struct SummingVisitor : IOscMessageVisitor
    {
        public double Sum;
        public int Messages;

        public void Visit(OscMessageReader message, OscTimeTag timeTag)
        {
            Messages++;
            if (message.AddressEquals("/every/type"u8))
            {
                Sum += message.ReadInt32() + message.ReadFloat() + message.ReadString().Length + message.ReadBlob().Length;
                Sum += message.ReadInt64() + message.ReadDouble() + message.ReadTimeTag().Seconds;
                Sum += (message.ReadBoolean() ? 1 : 0) + (message.ReadBoolean() ? 1 : 0);
                Sum += (message.TryReadNil() ? 1 : 0) + (message.TryReadImpulse() ? 1 : 0) + message.ReadString().Length;
                Sum += message.ReadChar() + message.ReadRgba() + message.ReadMidi();
            }
            else
            {
                while (message.HasMoreArguments)
                {
                    Sum += message.TryReadNumber(out double value) ? value : (message.TrySkip() ? 0 : 1);
                }
            }
        }
    }

    private static byte[] Packet() => new OscBundle(
        OscTimeTag.FromParts(1000, 0),
        OscTestData.EveryTypeMessage(),
        OscTestData.NestedBundle(),
        new OscMessage("/foo", 1000, -1, "hello", 1.234f, 5.678f)).ToArray();

    [Fact]
    public void WalkingAndReadingPacketsAllocatesNothing()
    {
        byte[] packet = Packet();
        var visitor = new SummingVisitor();
        for (int i = 0; i < 100; i++)
        {
            OscPacket.TryWalk(packet, ref visitor, out _);
        }

        visitor = default;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Iterations; i++)
        {
            OscPacket.TryWalk(packet, ref visitor, out _);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(6 * Iterations, visitor.Messages);
    }

    [Fact]
    public void MessageReaderAndBundleReaderAllocateNothing()
    {
        byte[] packet = Packet();
        long total = Decode(packet);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Iterations; i++)
        {
            total += Decode(packet);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.NotEqual(0, total);
    }

    [Fact]
    public void WritingRepliesIntoACallerBufferAllocatesNothing()
    {
        byte[] buffer = new byte[256];
        int length = Encode(buffer);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Iterations; i++)
        {
            length = Encode(buffer);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(new OscBundle(OscTimeTag.Immediate, new OscMessage("/done", 42, "ok", 0.5f, true)).ToArray(), buffer[..length]);
    }

    private static long Decode(byte[] packet)
    {
        long total = 0;
        var bundle = new OscBundleReader(packet);
        foreach (OscBundleElement element in bundle)
        {
            if (!element.IsBundle && element.TryGetMessage(out OscMessageReader message, out _))
            {
                total += message.Address.Length + message.ArgumentCount;
                if (message.TryReadInt32(out int first))
                {
                    total += first;
                }
            }
        }

        return total;
    }

    private static int Encode(Span<byte> buffer)
    {
        var writer = new OscWriter(buffer);
        writer.BeginBundle(OscTimeTag.Immediate);
        writer.BeginMessage("/done"u8, "isfT"u8);
        writer.WriteInt32(42);
        writer.WriteString("ok"u8);
        writer.WriteFloat(0.5f);
        writer.WriteBoolean(true);
        writer.EndMessage();
        writer.EndBundle();
        return writer.TryFinish(out int length) ? length : -1;
    }
}
