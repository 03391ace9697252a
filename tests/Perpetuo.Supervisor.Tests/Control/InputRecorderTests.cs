using Perpetuo.Audio;
using Perpetuo.Supervisor.Control;
using Perpetuo.Transport;

namespace Perpetuo.Supervisor.Tests.Control;

/// <summary>The journal's input file: every block from block 0, as the tape held it; a block the tape lost is counted.</summary>
public sealed class InputRecorderTests : IDisposable
{
    private readonly RegionLayout _layout = new(64, 2, 48000, 4, liveInput: true);
    private readonly string _path = Path.GetTempFileName();

    public void Dispose() => File.Delete(_path);

    private float[] Block(long seq) => Enumerable.Repeat(seq / 100f, _layout.BlockSamples).ToArray();

    [Fact]
    public void EveryStampedBlockIsWrittenInOrderFromBlockZero()
    {
        var tape = new InputTape(_layout);
        var writer = new InputRingWriter(tape);
        var recorder = new InputRecorder(_path, tape, 48000);
        for (long seq = 0; seq < 10; seq++)
        {
            writer.TryWrite(seq, Block(seq));
            if (seq % 3 == 0)
            {
                recorder.Drain(seq + 1);
            }
        }
        recorder.Drain(10);
        recorder.Dispose();
        Assert.Equal(0, recorder.BlocksLost);
        WavFile wav = WavFile.Read(_path);
        Assert.Equal((48000, 2), (wav.SampleRate, wav.Channels));
        Assert.Equal(Enumerable.Range(0, 10).SelectMany(s => Block(s)).ToArray(), wav.Samples);
    }

    [Fact]
    public void ABlockTheTapeNoLongerHoldsIsSilenceCountedAndReportedOnce()
    {
        var tape = new InputTape(_layout);
        var writer = new InputRingWriter(tape);
        var recorder = new InputRecorder(_path, tape, 48000);
        var reasons = new List<string>();
        recorder.Lost += reasons.Add;
        long blocks = _layout.InputCapacity + 2; // the control thread stalled a whole tape long
        for (long seq = 0; seq < blocks; seq++)
        {
            writer.TryWrite(seq, Block(seq + 1));
        }
        while (recorder.Next < blocks)
        {
            recorder.Drain(blocks);
        }
        recorder.Dispose();
        Assert.Equal(2, recorder.BlocksLost);
        Assert.Single(reasons);
        Assert.Contains("overwritten", reasons[0], StringComparison.Ordinal);
        float[] samples = WavFile.Read(_path).Samples;
        Assert.Equal(blocks * _layout.BlockSamples, samples.Length);
        Assert.All(samples.AsSpan(0, 2 * _layout.BlockSamples).ToArray(), s => Assert.Equal(0f, s));
        Assert.Equal(Block(3), samples.AsSpan(2 * _layout.BlockSamples, _layout.BlockSamples).ToArray());
    }

    [Fact]
    public void OneDrainWritesABoundedNumberOfBlocks()
    {
        var tape = new InputTape(_layout);
        var writer = new InputRingWriter(tape);
        using var recorder = new InputRecorder(_path, tape, 48000);
        long stamped = InputRecorder.BlocksPerTick + 100;
        for (long seq = 0; seq < stamped; seq++)
        {
            writer.TryWrite(seq, Block(seq));
        }
        recorder.Drain(long.MaxValue / 2);
        Assert.Equal(InputRecorder.BlocksPerTick, recorder.Next);
        recorder.Drain(long.MaxValue / 2);
        Assert.Equal(stamped, recorder.Next); // and never past what was stamped
        Assert.Equal(0, recorder.BlocksLost);
    }
}
