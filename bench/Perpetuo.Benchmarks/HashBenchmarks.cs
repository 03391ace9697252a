using BenchmarkDotNet.Attributes;
using Perpetuo.Transport;

namespace Perpetuo.Benchmarks;

/// <summary>
/// The block hash on each of its paths — the vector hash alone (a worker's divergence hash), the producer's and the
/// consumer's one-pass copy + hash (+ finite check) — against the scalar reference that computes the same value,
/// and a plain copy for scale.
/// </summary>
[MemoryDiagnoser]
public class HashBenchmarks
{
    private float[] _samples = [];
    private float[] _destination = [];

    /// <summary>Samples per block: 256 and 1024 frames, stereo.</summary>
    [Params(512, 2048)]
    public int Samples { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _samples = RingFixture.Block(Samples / 2);
        _destination = new float[Samples];
        if (BlockHash.ComputeScalar(_samples, out bool f1) != BlockHash.Compute(_samples, out bool f2) || f1 != f2)
        {
            throw new InvalidOperationException("the vector path does not compute the scalar reference's value");
        }
    }

    [Benchmark(Baseline = true, Description = "scalar reference + finite")]
    public ulong Scalar() => BlockHash.ComputeScalar(_samples, out _);

    [Benchmark(Description = "BlockHash.Compute")]
    public ulong Vector() => BlockHash.Compute(_samples);

    [Benchmark(Description = "BlockHash.Compute + finite")]
    public ulong VectorFinite() => BlockHash.Compute(_samples, out _);

    [Benchmark(Description = "CopyAndCompute (producer)")]
    public ulong CopyHash() => BlockHash.CopyAndCompute(_samples, _destination);

    [Benchmark(Description = "CopyAndCompute + finite (consumer)")]
    public ulong CopyHashFinite() => BlockHash.CopyAndCompute(_samples, _destination, out _);

    [Benchmark(Description = "Span.CopyTo (for scale)")]
    public void Copy() => _samples.AsSpan().CopyTo(_destination);
}
