using BenchmarkDotNet.Attributes;
using Perpetuo.Transport;

namespace Perpetuo.Benchmarks;

/// <summary>
/// One block through the audio ring in one process (producer TryWrite, consumer TryRead = copy + seqlock re-check +
/// hash + finite check, Release), and one record through the command ring. Real mapped regions (memory files, as play makes them).
/// </summary>
[MemoryDiagnoser]
public class RingBenchmarks
{
    private RingFixture _fixture = null!;
    private AudioRingWriter _writer = null!;
    private AudioRingReader _reader = null!;
    private CommandRingWriter _commandWriter = null!;
    private CommandRingReader _commandReader = null!;
    private CommandRecord _record;
    private float[] _block = [];
    private float[] _copy = [];
    private long _seq;
    private long _commandSeq;

    [Params(256, 1024)]
    public int Frames { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _fixture = new RingFixture(1, Frames);
        _writer = new AudioRingWriter(_fixture.Regions[0]);
        _reader = new AudioRingReader(_fixture.Regions[0]);
        _commandWriter = new CommandRingWriter(_fixture.Regions[0]);
        _commandReader = new CommandRingReader(_fixture.Regions[0]);
        _record = CommandRecord.Create(1, 0, 0, "filter", "cutoff", 1200, 0);
        _block = RingFixture.Block(Frames);
        _copy = new float[_block.Length];
    }

    [GlobalCleanup]
    public void Cleanup() => _fixture.Dispose();

    [Benchmark(Description = "AudioRing TryWrite")]
    public bool AudioRingWrite()
    {
        bool ok = _writer.TryWrite(_seq, _block);
        _reader.Release(++_seq); // a plain release store: keeps a slot free
        return ok;
    }

    [Benchmark(Description = "AudioRing TryWrite+TryRead+Release")]
    public ReadResult AudioRingWriteRead()
    {
        long n = _seq;
        _writer.TryWrite(n, _block);
        ReadResult r = _reader.TryRead(n, _copy, out _);
        _reader.Release(++_seq);
        return r;
    }

    [Benchmark(Description = "CommandRing TryWrite+TryPeek+Advance")]
    public bool CommandRingWriteRead()
    {
        _record.ApplyBlock = _commandSeq++;
        bool ok = _commandWriter.TryWrite(_record) && _commandReader.TryPeek(out CommandRecord _);
        _commandReader.Advance();
        return ok;
    }
}
