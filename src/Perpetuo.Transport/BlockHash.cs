using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Perpetuo.Transport;

/// <summary>
/// 64-bit hash of a block's samples, computed by the producer and checked by the consumer after its copy; the
/// consumer's pass also checks that every sample is finite.
/// </summary>
/// <remarks>
/// Not cryptographic: it catches torn reads, scribbles and divergence between workers. The accumulation is XXH3's
/// (per 64-bit word w in lane j: <c>acc[j] += w + lo32(w ^ k[j]) * hi32(w ^ k[j])</c>) over 8 lanes, which AVX2
/// does four lanes per instruction with <c>vpmuludq</c>; the scalar path computes the same value. The raw bits are
/// hashed, so -0.0 and 0.0 differ and every NaN payload counts. Allocation-free.
/// </remarks>
public static class BlockHash
{
    private const int Lanes = 8;
    private const ulong Prime1 = 0x9E3779B185EBCA87UL;
    private const ulong Prime2 = 0xC2B2AE3D27D4EB4FUL;
    private const uint ExponentMask = 0x7F80_0000u;

    private static ReadOnlySpan<ulong> Keys =>
    [
        0xBE4BA423396CFEB8UL, 0x1CAD21F72C81017CUL, 0xDB979083E96DD4DEUL, 0x1F67B3B7A4A44072UL,
        0x78E5C0CC4EE679CBUL, 0x2172FFCC7DD05A82UL, 0x8E2443F7744608B8UL, 0x4C263A81E69035E0UL,
    ];

    /// <summary>Hashes the samples' bit patterns. Any thread; allocation-free.</summary>
    public static ulong Compute(ReadOnlySpan<float> samples) => Hash(samples, out _);

    /// <summary>Hashes the samples and reports whether all of them are finite, in one pass.</summary>
    public static ulong Compute(ReadOnlySpan<float> samples, out bool allFinite) => Hash(samples, out allFinite);

    private static ulong Hash(ReadOnlySpan<float> samples, out bool allFinite)
    {
        ReadOnlySpan<ulong> words = MemoryMarshal.Cast<float, ulong>(samples);
        Span<ulong> acc = stackalloc ulong[Lanes];
        int i = Avx2.IsSupported ? AccumulateAvx2(words, acc, out bool nonFinite) : AccumulateScalar(words, acc, 0, out nonFinite);
        if (i < words.Length)
        {
            i = AccumulateScalar(words, acc, i, out bool tailNonFinite);
            nonFinite |= tailNonFinite;
        }
        ulong h = (ulong)samples.Length * Prime1;
        for (int j = 0; j < Lanes; j++)
        {
            h = BitOperations.RotateLeft(h ^ Avalanche(acc[j] + (ulong)j), 27) * Prime1;
        }
        if ((samples.Length & 1) != 0)
        {
            uint last = BitConverter.SingleToUInt32Bits(samples[^1]);
            nonFinite |= (last & ExponentMask) == ExponentMask;
            h = Avalanche(h ^ (last * Prime2));
        }
        allFinite = !nonFinite;
        return Avalanche(h);
    }

    private static int AccumulateAvx2(ReadOnlySpan<ulong> words, Span<ulong> acc, out bool nonFinite)
    {
        Vector256<ulong> a0 = Vector256<ulong>.Zero, a1 = Vector256<ulong>.Zero;
        Vector256<ulong> k0 = Vector256.Create(Keys[..4]), k1 = Vector256.Create(Keys[4..]);
        Vector256<uint> exp = Vector256.Create(ExponentMask), bad = Vector256<uint>.Zero;
        ref ulong w = ref MemoryMarshal.GetReference(words);
        int i = 0;
        for (; i + Lanes <= words.Length; i += Lanes)
        {
            Vector256<ulong> v0 = Vector256.LoadUnsafe(ref w, (nuint)i);
            Vector256<ulong> v1 = Vector256.LoadUnsafe(ref w, (nuint)(i + 4));
            a0 = Accumulate(a0, v0, k0);
            a1 = Accumulate(a1, v1, k1);
            bad |= Vector256.Equals(v0.AsUInt32() & exp, exp) | Vector256.Equals(v1.AsUInt32() & exp, exp);
        }
        a0.CopyTo(acc);
        a1.CopyTo(acc[4..]);
        nonFinite = bad != Vector256<uint>.Zero;
        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> Accumulate(Vector256<ulong> acc, Vector256<ulong> v, Vector256<ulong> key)
    {
        Vector256<ulong> dk = v ^ key;
        return acc + v + Avx2.Multiply(dk.AsUInt32(), Avx2.ShiftRightLogical(dk, 32).AsUInt32());
    }

    private static int AccumulateScalar(ReadOnlySpan<ulong> words, Span<ulong> acc, int start, out bool nonFinite)
    {
        nonFinite = false;
        ReadOnlySpan<ulong> keys = Keys;
        for (int i = start; i < words.Length; i++)
        {
            int j = i & (Lanes - 1);
            ulong v = words[i];
            ulong dk = v ^ keys[j];
            acc[j] += v + ((dk & 0xFFFF_FFFFUL) * (dk >> 32));
            nonFinite |= ((uint)v & ExponentMask) == ExponentMask || ((uint)(v >> 32) & ExponentMask) == ExponentMask;
        }
        return words.Length;
    }

    private static ulong Avalanche(ulong h)
    {
        h ^= h >> 37;
        h *= 0x165667919E3779F9UL;
        return h ^ (h >> 32);
    }
}
