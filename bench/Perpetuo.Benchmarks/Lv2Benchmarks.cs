using BenchmarkDotNet.Attributes;
using Perpetuo.Lv2;

namespace Perpetuo.Benchmarks;

/// <summary>
/// One LV2 plugin's run per block in Perpetuo's host (<see cref="Lv2Plugin.Run"/>), to set against
/// `lv2bench -b 256` (lilv-utils) for the same plugin: what hosting adds. Needs liblilv-0-0 and swh-lv2.
/// </summary>
[MemoryDiagnoser]
public class Lv2Benchmarks
{
    private Lv2Catalog _catalog = null!;
    private Lv2Plugin _plugin = null!;

    [Params("http://plugin.org.uk/swh-plugins/plate", "http://plugin.org.uk/swh-plugins/delay_l")]
    public string Uri { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _catalog = Lv2Catalog.Load();
        _plugin = _catalog.Instantiate(Uri, 48000, 256);
        _plugin.Activate();
        for (int i = 0; i < _plugin.AudioInputCount; i++)
        {
            Span<float> input = _plugin.AudioInput(i);
            for (int f = 0; f < input.Length; f++)
            {
                input[f] = (((f * 7919) + (i * 104729)) % 1000 / 1000f) - 0.5f; // a fixed, busy signal
            }
        }
    }

    [Benchmark(Description = "Run(256)")]
    public void Run() => _plugin.Run(256);

    [GlobalCleanup]
    public void Cleanup()
    {
        _plugin.Dispose();
        _catalog.Dispose();
    }
}
