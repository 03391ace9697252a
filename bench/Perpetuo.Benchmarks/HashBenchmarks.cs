using System.Numerics;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using Perpetuo.Transport;

namespace Perpetuo.Benchmarks;

/// <summary>
/// <see cref="BlockHash.Compute(ReadOnlySpan{float}, out bool)"/> (AVX2 where supported: the consumer's fused hash
/// and finite check) against a scalar baseline that computes the same value the way BlockHash's own scalar path
/// does (checked equal in setup).
/// </summary>
[MemoryDiagnoser]
public class HashBenchmarks
{
    private float[] _samples = [];

    /// <summary>Samples per block: 256 and 1024 frames, stereo.</summary>
    [Params(512, 2048)]
    public int Samples { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _samples = RingFixture.Block(Samples / 2);
        if (ScalarHash(_samples, out bool f1) != BlockHash.Compute(_samples, out bool f2) || f1 != f2)
        {
            throw new InvalidOperationException("the scalar baseline does not compute BlockHash's value");
        }
    }

    [Benchmark(Baseline = true, Description = "scalar hash + finite")]
    public ulong Scalar() => ScalarHash(_samples, out _);

    [Benchmark(Description = "BlockHash.Compute (AVX2) + finite")]
    public ulong Vector() => BlockHash.Compute(_samples, out _);

    // A copy of BlockHash's scalar path (AccumulateScalar + finalisation), for even-length blocks.
    private static ulong ScalarHash(ReadOnlySpan<float> samples, out bool allFinite)
    {
        ReadOnlySpan<ulong> keys =
        [
            0xBE4BA423396CFEB8UL, 0x1CAD21F72C81017CUL, 0xDB979083E96DD4DEUL, 0x1F67B3B7A4A44072UL,
            0x78E5C0CC4EE679CBUL, 0x2172FFCC7DD05A82UL, 0x8E2443F7744608B8UL, 0x4C263A81E69035E0UL,
        ];
        const uint exp = 0x7F80_0000u;
        const ulong prime1 = 0x9E3779B185EBCA87UL;
        ReadOnlySpan<ulong> words = MemoryMarshal.Cast<float, ulong>(samples);
        Span<ulong> acc = stackalloc ulong[8];
        acc.Clear();
        bool nonFinite = false;
        for (int i = 0; i < words.Length; i++)
        {
            int j = i & 7;
            ulong v = words[i];
            ulong dk = v ^ keys[j];
            acc[j] += v + ((dk & 0xFFFF_FFFFUL) * (dk >> 32));
            nonFinite |= ((uint)v & exp) == exp || ((uint)(v >> 32) & exp) == exp;
        }
        ulong h = (ulong)samples.Length * prime1;
        for (int j = 0; j < 8; j++)
        {
            h = BitOperations.RotateLeft(h ^ Avalanche(acc[j] + (ulong)j), 27) * prime1;
        }
        allFinite = !nonFinite;
        return Avalanche(h);
    }

    private static ulong Avalanche(ulong h)
    {
        h ^= h >> 37;
        h *= 0x165667919E3779F9UL;
        return h ^ (h >> 32);
    }
}
