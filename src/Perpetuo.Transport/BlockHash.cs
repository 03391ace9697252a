using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Perpetuo.Transport;

/// <summary>
/// 64-bit hash of a block's samples, computed by the producer and checked by the consumer; the consumer's pass
/// also copies the block out of the ring and checks that every sample is finite, so each sample is loaded once.
/// </summary>
/// <remarks>
/// Not cryptographic: it catches torn reads, scribbles and divergence between workers. The accumulation is XXH3's
/// (per 64-bit word w in lane j: <c>acc[j] += w + lo32(w ^ k[j]) * hi32(w ^ k[j])</c>) over 8 lanes, which AVX2
/// does four lanes per instruction with <c>vpmuludq</c> (AVX-512 all eight); the lanes are merged as XXH3 merges them (four
/// independent 64×64→128-bit multiplies folded and summed, then one avalanche), so the tail of the hash is short.
/// The scalar path computes the same value. The raw bits are hashed, so -0.0 and 0.0 differ and every NaN
/// payload counts. Allocation-free.
/// </remarks>
public static class BlockHash
{
    private const int Lanes = 8;
    private const ulong Prime1 = 0x9E3779B185EBCA87UL;
    private const ulong Prime2 = 0xC2B2AE3D27D4EB4FUL;

    // A float is NaN or infinite when its exponent bits are all ones: with the sign shifted out, the bits are then
    // at least 0xFF000000 as an unsigned integer, so one running maximum per lane checks a whole block.
    private const uint NonFiniteShifted = 0xFF00_0000u;

    private static ReadOnlySpan<ulong> Keys =>
    [
        0xBE4BA423396CFEB8UL, 0x1CAD21F72C81017CUL, 0xDB979083E96DD4DEUL, 0x1F67B3B7A4A44072UL,
        0x78E5C0CC4EE679CBUL, 0x2172FFCC7DD05A82UL, 0x8E2443F7744608B8UL, 0x4C263A81E69035E0UL,
    ];

    private static ReadOnlySpan<ulong> MergeKeys =>
    [
        0xCB00C391BB52283CUL, 0xA32E531B8B65D088UL, 0x4EF90DA297486471UL, 0xD8ACDEA946EF1938UL,
        0x3F349CE33F76FAA8UL, 0x1D4F0BC7C7BBDCF9UL, 0x3159B4CD4BE0518AUL, 0x647378D9C97E9FC8UL,
    ];

    /// <summary>Hashes the samples' bit patterns. Any thread; allocation-free.</summary>
    public static ulong Compute(ReadOnlySpan<float> samples) =>
        Hash(samples, [], copy: false, check: false, wide: true, out _);

    /// <summary>Hashes the samples and reports whether all of them are finite, in one pass.</summary>
    public static ulong Compute(ReadOnlySpan<float> samples, out bool allFinite) =>
        Hash(samples, [], copy: false, check: true, wide: true, out allFinite);

    /// <summary>
    /// Copies <paramref name="source"/> into <paramref name="destination"/> and hashes it, loading each sample once
    /// (the producer's publish: the source is its own, trusted block).
    /// </summary>
    public static ulong CopyAndCompute(ReadOnlySpan<float> source, Span<float> destination)
    {
        CheckRoom(source, destination);
        return Hash(source, destination, copy: true, check: false, wide: true, out _);
    }

    /// <summary>
    /// Copies <paramref name="source"/> into <paramref name="destination"/>, hashes the copied values and reports
    /// whether all of them are finite, loading each sample once. The hash is that of what was stored, which is
    /// what a consumer must verify when the source may change under it.
    /// </summary>
    public static ulong CopyAndCompute(ReadOnlySpan<float> source, Span<float> destination, out bool allFinite)
    {
        CheckRoom(source, destination);
        return Hash(source, destination, copy: true, check: true, wide: true, out allFinite);
    }

    /// <summary>The same hash without AVX-512 (the tests compare the AVX2 path on machines that have both).</summary>
    internal static ulong ComputeWithoutAvx512(ReadOnlySpan<float> samples, out bool allFinite) =>
        Hash(samples, [], copy: false, check: true, wide: false, out allFinite);

    /// <summary>The same hash without vector instructions (the fallback, and the reference the tests compare with).</summary>
    internal static ulong ComputeScalar(ReadOnlySpan<float> samples, out bool allFinite)
    {
        var acc = new LaneSums();
        ReadOnlySpan<ulong> words = MemoryMarshal.Cast<float, ulong>(samples);
        uint maxShifted = AccumulateScalar(words, [], copy: false, check: true, ref acc, 0);
        return Finish(samples, ref acc, maxShifted, out allFinite);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Hash(ReadOnlySpan<float> source, Span<float> destination, bool copy, bool check, bool wide,
                              out bool allFinite)
    {
        var acc = new LaneSums();
        ReadOnlySpan<ulong> words = MemoryMarshal.Cast<float, ulong>(source);
        Span<ulong> copiedWords = MemoryMarshal.Cast<float, ulong>(destination);
        int i = 0;
        uint maxShifted = 0;
        if (wide && Vector512.IsHardwareAccelerated && Avx512F.IsSupported)
        {
            i = AccumulateAvx512(words, copiedWords, copy, check, ref acc, out maxShifted);
        }
        else if (Avx2.IsSupported)
        {
            i = AccumulateAvx2(words, copiedWords, copy, check, ref acc, out maxShifted);
        }
        if (i < words.Length)
        {
            maxShifted = Math.Max(maxShifted, AccumulateScalar(words, copiedWords, copy, check, ref acc, i));
        }
        if (copy && (source.Length & 1) != 0)
        {
            destination[source.Length - 1] = source[^1];
        }
        return Finish(copy ? destination[..source.Length] : source, ref acc, maxShifted, out allFinite);
    }

    /// <summary>All eight lanes in one register: 64 bytes per step.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int AccumulateAvx512(ReadOnlySpan<ulong> words, Span<ulong> copied, bool copy, bool check,
                                        ref LaneSums acc, out uint maxShifted)
    {
        Vector512<ulong> a = Vector512<ulong>.Zero;
        Vector512<ulong> k = Vector512.Create(Keys);
        Vector512<uint> max = Vector512<uint>.Zero;
        ref ulong src = ref MemoryMarshal.GetReference(words);
        ref ulong dst = ref MemoryMarshal.GetReference(copied);
        int i = 0;
        for (; i + Lanes <= words.Length; i += Lanes)
        {
            Vector512<ulong> v = Vector512.LoadUnsafe(ref src, (nuint)i);
            if (copy)
            {
                v.StoreUnsafe(ref dst, (nuint)i);
            }
            Vector512<ulong> dk = v ^ k;
            a += v + Avx512F.Multiply(dk.AsUInt32(), Avx512F.ShiftRightLogical(dk, 32).AsUInt32());
            if (check)
            {
                max = Vector512.Max(max, v.AsUInt32() << 1);
            }
        }
        StoreLanes(a.GetLower(), a.GetUpper(), ref acc);
        maxShifted = Vector512.GreaterThanOrEqualAny(max, Vector512.Create(NonFiniteShifted)) ? NonFiniteShifted : 0;
        return i;
    }

    /// <summary>Lanes 0-3 and 4-7 in two registers: 64 bytes per step.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int AccumulateAvx2(ReadOnlySpan<ulong> words, Span<ulong> copied, bool copy, bool check,
                                      ref LaneSums acc, out uint maxShifted)
    {
        Vector256<ulong> a0 = Vector256<ulong>.Zero, a1 = Vector256<ulong>.Zero;
        Vector256<ulong> k0 = Vector256.Create(Keys[..4]), k1 = Vector256.Create(Keys[4..]);
        Vector256<uint> max = Vector256<uint>.Zero;
        ref ulong src = ref MemoryMarshal.GetReference(words);
        ref ulong dst = ref MemoryMarshal.GetReference(copied);
        int i = 0;
        for (; i + Lanes <= words.Length; i += Lanes)
        {
            Vector256<ulong> v0 = Vector256.LoadUnsafe(ref src, (nuint)i);
            Vector256<ulong> v1 = Vector256.LoadUnsafe(ref src, (nuint)(i + 4));
            if (copy)
            {
                v0.StoreUnsafe(ref dst, (nuint)i);
                v1.StoreUnsafe(ref dst, (nuint)(i + 4));
            }
            a0 = Accumulate(a0, v0, k0);
            a1 = Accumulate(a1, v1, k1);
            if (check)
            {
                max = Vector256.Max(max, Vector256.Max(v0.AsUInt32() << 1, v1.AsUInt32() << 1));
            }
        }
        StoreLanes(a0, a1, ref acc);
        maxShifted = Vector256.GreaterThanOrEqualAny(max, Vector256.Create(NonFiniteShifted)) ? NonFiniteShifted : 0;
        return i;
    }

    /// <summary>Moves the lane sums out of the registers with constant indices (a vector spilled to the stack and
    /// read back a lane at a time would stall store forwarding).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreLanes(Vector256<ulong> low, Vector256<ulong> high, ref LaneSums acc)
    {
        acc[0] = low.GetElement(0);
        acc[1] = low.GetElement(1);
        acc[2] = low.GetElement(2);
        acc[3] = low.GetElement(3);
        acc[4] = high.GetElement(0);
        acc[5] = high.GetElement(1);
        acc[6] = high.GetElement(2);
        acc[7] = high.GetElement(3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> Accumulate(Vector256<ulong> acc, Vector256<ulong> v, Vector256<ulong> key)
    {
        Vector256<ulong> dk = v ^ key;
        return acc + (v + Avx2.Multiply(dk.AsUInt32(), Avx2.ShiftRightLogical(dk, 32).AsUInt32()));
    }

    private static uint AccumulateScalar(ReadOnlySpan<ulong> words, Span<ulong> copied, bool copy, bool check,
                                         ref LaneSums acc, int start)
    {
        uint max = 0;
        ReadOnlySpan<ulong> keys = Keys;
        for (int i = start; i < words.Length; i++)
        {
            int j = i & (Lanes - 1);
            ulong v = words[i];
            if (copy)
            {
                copied[i] = v;
            }
            ulong dk = v ^ keys[j];
            acc[j] += v + ((dk & 0xFFFF_FFFFUL) * (dk >> 32));
            if (check)
            {
                max = Math.Max(max, Math.Max((uint)v << 1, (uint)(v >> 32) << 1));
            }
        }
        return max;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)] // on the consumer's critical path: no call
    private static ulong Finish(ReadOnlySpan<float> samples, ref LaneSums acc, uint maxShifted, out bool allFinite)
    {
        ReadOnlySpan<ulong> keys = MergeKeys;
        ulong h = (ulong)samples.Length * Prime1;
        for (int j = 0; j < Lanes; j += 2)
        {
            ulong high = Math.BigMul(acc[j] ^ keys[j], acc[j + 1] ^ keys[j + 1], out ulong low);
            h += high ^ low;
        }
        if ((samples.Length & 1) != 0)
        {
            uint last = BitConverter.SingleToUInt32Bits(samples[^1]);
            maxShifted = Math.Max(maxShifted, last << 1);
            h = Avalanche(h ^ (last * Prime2));
        }
        allFinite = maxShifted < NonFiniteShifted;
        return Avalanche(h);
    }

    private static void CheckRoom(ReadOnlySpan<float> source, Span<float> destination)
    {
        if (destination.Length < source.Length)
        {
            throw new ArgumentException($"destination holds {destination.Length} samples, the block has {source.Length}");
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Avalanche(ulong h)
    {
        h ^= h >> 37;
        h *= 0x165667919E3779F9UL;
        return h ^ (h >> 32);
    }

    /// <summary>The eight lane sums, on the stack without <c>stackalloc</c>.</summary>
    [InlineArray(Lanes)]
    private struct LaneSums
    {
        private ulong _lane;
    }
}
