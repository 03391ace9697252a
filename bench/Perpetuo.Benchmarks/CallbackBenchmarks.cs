using BenchmarkDotNet.Attributes;

namespace Perpetuo.Benchmarks;

/// <summary>
/// The audio callback per block with one and with two slots. Each operation is "producers write block N, callback
/// plays N", so the figure includes one (or two) <c>AudioRingWriter.TryWrite</c>; the <c>Produce only</c> row is that
/// part alone, and <c>percentiles</c> times the callback by itself.
/// </summary>
[MemoryDiagnoser]
public class CallbackBenchmarks
{
    private CallbackRig _rig = null!;

    [Params(1, 2)]
    public int Slots { get; set; }

    [Params(256, 1024)]
    public int Frames { get; set; }

    [GlobalSetup]
    public void Setup() => _rig = new CallbackRig(Slots, Frames);

    [GlobalCleanup]
    public void Cleanup() => _rig.Dispose();

    [Benchmark(Description = "Produce + TryFillBlock")]
    public void ProduceAndCallback()
    {
        _rig.Produce();
        _rig.Callback();
    }
}
