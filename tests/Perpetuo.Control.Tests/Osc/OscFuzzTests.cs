using System.Buffers.Binary;
using Perpetuo.Control.Osc;

namespace Perpetuo.Control.Tests.Osc;

public class OscFuzzTests
{
    private struct ReadEverythingVisitor : IOscMessageVisitor
    {
        public int Messages;

        public void Visit(OscMessageReader message, OscTimeTag timeTag)
        {
            Messages++;
            while (message.TrySkip())
            {
            }
        }
    }

    [Fact]
    public void RandomAndMutatedPacketsNeverThrowAnythingButOscParseException()
    {
        var random = new Random(20240611);
        byte[][] seeds =
        [
            OscTestData.SpecFooMessage,
            OscTestData.SpecFrequencyMessage,
            OscTestData.EveryTypeMessage().ToArray(),
            OscTestData.NestedBundle().ToArray(),
            OscTestData.Bundle(1, OscTestData.NestedBundle().ToArray(), OscTestData.SpecFooMessage),
        ];

        int accepted = 0;
        for (int i = 0; i < 20_000; i++)
        {
            byte[] packet = Mutate(random, seeds[random.Next(seeds.Length)]);
            accepted += CheckOne(packet) ? 1 : 0;
        }

        for (int i = 0; i < 5_000; i++)
        {
            byte[] packet = new byte[random.Next(0, 65) * (random.Next(4) == 0 ? 1 : 4)];
            random.NextBytes(packet);
            if (packet.Length > 0 && random.Next(2) == 0)
            {
                packet[0] = (byte)'/';
            }

            CheckOne(packet);
        }

        // Sanity: the mutator leaves some packets intact, so the accepting path was exercised too.
        Assert.InRange(accepted, 100, 20_000);
    }

    /// <summary>Runs every decoding entry point; they must agree and throw nothing but OscParseException.</summary>
    private static bool CheckOne(byte[] packet)
    {
        bool parsed = OscPacket.TryParse(packet, out OscPacket? result, out string? parseError);
        bool valid = OscPacket.TryValidate(packet, out string? validateError);
        var visitor = new ReadEverythingVisitor();
        bool walked = OscPacket.TryWalk(packet, ref visitor, out _);

        Assert.Equal(parsed, valid);
        Assert.Equal(parsed, walked);
        Assert.Equal(parseError, validateError);
        try
        {
            OscPacket reparsed = OscPacket.Parse(packet);
            Assert.True(parsed);
            Assert.Equal(result!.GetEncodedLength(), reparsed.GetEncodedLength());
            Assert.True(OscPacket.TryValidate(reparsed.ToArray(), out string? roundTripError), roundTripError);
        }
        catch (OscParseException e)
        {
            Assert.False(parsed);
            Assert.Equal(parseError, e.Message);
            Assert.Equal(0, visitor.Messages);
        }

        return parsed;
    }

    private static byte[] Mutate(Random random, byte[] seed)
    {
        byte[] packet = (byte[])seed.Clone();
        switch (random.Next(6))
        {
            case 0:
                // Flip a few bytes.
                for (int n = random.Next(1, 4); n > 0; n--)
                {
                    packet[random.Next(packet.Length)] = (byte)random.Next(256);
                }

                return packet;
            case 1:
                return packet[..random.Next(packet.Length + 1)];
            case 2:
                // Forge a size-like word at an aligned offset.
                int offset = random.Next(packet.Length / 4) * 4;
                int[] sizes = [0, -1, -4, 1, 3, 4, 8, 12, 16, int.MaxValue, int.MinValue, packet.Length, packet.Length - offset];
                BinaryPrimitives.WriteInt32BigEndian(packet.AsSpan(offset), sizes[random.Next(sizes.Length)]);
                return packet;
            case 3:
                // Replace a type tag or any byte with a tag character.
                packet[random.Next(packet.Length)] = (byte)"ifsbhdtTFNIScrm[],#/\0"[random.Next(21)];
                return packet;
            case 4:
                byte[] grown = new byte[packet.Length + (random.Next(1, 3) * 4)];
                packet.CopyTo(grown, 0);
                return grown;
            default:
                return packet;
        }
    }
}
