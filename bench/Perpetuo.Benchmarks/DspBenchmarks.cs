using BenchmarkDotNet.Attributes;
using Perpetuo.Dsp;
using Perpetuo.Protocol;

namespace Perpetuo.Benchmarks;

/// <summary>
/// <see cref="ModuleHost.ProcessChain"/> per block, stereo 48 kHz, for a chain of one module of each type and for
/// the default patch. Notes are held (synth: 8 voices, adsr: sustaining) so the sound-making paths run; the
/// effects process the cleared block (ProcessChain zeroes it first), which runs the same arithmetic.
/// </summary>
[MemoryDiagnoser]
public class DspBenchmarks
{
    private ModuleHost _host = null!;
    private float[] _block = [];

    [Params("osc", "noise", "adsr", "filter", "gain", "pan", "seq", "synth", "default patch")]
    public string Chain { get; set; } = "";

    [Params(256, 1024)]
    public int Frames { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _block = new float[Frames * 2];
        if (Chain == "default patch")
        {
            _host = DefaultPatch.CreateHost(48000, 2, Frames);
        }
        else
        {
            _host = new ModuleHost(48000, 2, Frames);
            _host.AddModule(Chain, "m");
            int notes = Chain == "synth" ? 8 : 1;
            for (int i = 0; i < notes; i++)
            {
                _host.QueueCommand(new DspCommand(CommandKind.NoteOn, 0, "", "", 48 + (i * 3), 0.8f));
            }
            if (Chain == "synth")
            {
                _host.QueueCommand(new DspCommand(CommandKind.SetParam, 0, "m", "voices", 8));
            }
        }
        for (int i = 0; i < 64; i++)
        {
            _host.ProcessChain(_block); // past the attack, into steady state
        }
    }

    [Benchmark(Description = "ProcessChain")]
    public void Process() => _host.ProcessChain(_block);
}
