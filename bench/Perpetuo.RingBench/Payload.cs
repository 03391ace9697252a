using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Perpetuo.RingBench;

/// <summary>
/// The checkable contents of the blocks the bench and the transport tests send: every sample is a function of the
/// block's sequence number, so a consumer can verify each one without any state shared with the producer.
/// </summary>
/// <remarks>
/// All values are integers below 2^24, exactly representable as float, and never NaN or infinite (the audio ring
/// rejects non-finite samples). That is also why a latency stamp is spread over three samples of 22 bits each
/// instead of being stored as the raw bits of a long: about one random 32-bit pattern in 256 is a NaN or an Inf.
/// </remarks>
public static class Payload
{
    /// <summary>Samples 0..2 of a latency block hold the stamp.</summary>
    public const int StampSamples = 3;

    private const long StampChunkMask = (1L << 22) - 1;

    /// <summary>The bench's sample value for block <paramref name="seq"/>: (float)(seq % 1000).</summary>
    public static float Bench(long seq) => seq % 1000;

    /// <summary>The stress tests' sample <paramref name="index"/> of block <paramref name="seq"/>: differs between
    /// neighbouring samples and between any two blocks a small ring can confuse.</summary>
    public static float Stress(long seq, int index) => ((seq * 131) + index) & 0xFFFFF;

    /// <summary>Fills a stress block.</summary>
    public static void FillStress(long seq, Span<float> block)
    {
        for (int i = 0; i < block.Length; i++)
        {
            block[i] = Stress(seq, i);
        }
    }

    /// <summary>Number of samples of <paramref name="block"/> that are not what block <paramref name="seq"/> holds.</summary>
    public static int StressMismatches(long seq, ReadOnlySpan<float> block)
    {
        int bad = 0;
        for (int i = 0; i < block.Length; i++)
        {
            if (block[i] != Stress(seq, i))
            {
                bad++;
            }
        }
        return bad;
    }

    /// <summary>Whether every sample from <paramref name="first"/> on is (float)(seq % 1000).</summary>
    /// <remarks>Vectorised, as the C compiler vectorises the C peer's check loop: one compare and one AND per vector.</remarks>
    public static bool BenchBlockIntact(long seq, ReadOnlySpan<float> block, int first)
    {
        float expected = Bench(seq);
        ReadOnlySpan<float> rest = block[first..];
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> want = Vector256.Create(expected);
            Vector256<uint> equal = Vector256<uint>.AllBitsSet; // as integers: all-ones is a NaN as floats
            ref float start = ref MemoryMarshal.GetReference(rest);
            for (; i + Vector256<float>.Count <= rest.Length; i += Vector256<float>.Count)
            {
                equal &= Vector256.Equals(Vector256.LoadUnsafe(ref start, (nuint)i), want).AsUInt32();
            }
            if (equal != Vector256<uint>.AllBitsSet)
            {
                return false;
            }
        }
        for (; i < rest.Length; i++)
        {
            if (rest[i] != expected)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Writes a Stopwatch timestamp into samples 0..2 as three 22-bit integers.</summary>
    public static void WriteStamp(Span<float> block, long stamp)
    {
        block[0] = stamp & StampChunkMask;
        block[1] = (stamp >> 22) & StampChunkMask;
        block[2] = (stamp >> 44) & StampChunkMask;
    }

    /// <summary>Reads the stamp written by <see cref="WriteStamp"/>.</summary>
    public static long ReadStamp(ReadOnlySpan<float> block) =>
        (long)block[0] | ((long)block[1] << 22) | ((long)block[2] << 44);
}
