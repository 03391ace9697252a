using System.Diagnostics;
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
        Assert.Contains("overwritten", recorder.FirstLoss, StringComparison.Ordinal);
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

    [Fact]
    public void ItsOwnThreadWritesEveryBlockTheCallbackStampsAndStopWritesTheRestAndCloses()
    {
        var tape = new InputTape(_layout);
        var writer = new InputRingWriter(tape);
        var recorder = new InputRecorder(_path, tape, 48000);
        long stamped = 0;
        recorder.Start(() => Volatile.Read(ref stamped));
        for (long seq = 0; seq < 200; seq++)
        {
            writer.TryWrite(seq, Block(seq));
            Volatile.Write(ref stamped, seq + 1);
            if (seq == 99)
            {
                Assert.True(SpinWait.SpinUntil(() => recorder.Next == 100, TimeSpan.FromSeconds(10)), "the thread never wrote");
            }
        }
        Assert.True(recorder.Stop(200, TimeSpan.FromSeconds(10)));
        Assert.Equal(200, recorder.Next);
        Assert.Null(recorder.FirstLoss);
        Assert.Equal(Enumerable.Range(0, 200).SelectMany(s => Block(s)).ToArray(), WavFile.Read(_path).Samples);
    }

    [Fact]
    public void ADiskThatHoldsAWriteUpHoldsUpOnlyTheRecordersThreadAndStoppingGivesUpInTime()
    {
        string fifo = Path.Combine(Path.GetTempPath(), $"perpetuo-fifo-{Guid.NewGuid():N}");
        using (Process mk = Process.Start("mkfifo", [fifo]))
        {
            mk.WaitForExit();
            Assert.Equal(0, mk.ExitCode);
        }
        // A reader that never reads: once the pipe's 64 KB are full, every write blocks, as on a disk that is stuck.
        using Process stuck = Process.Start("sh", ["-c", $"exec sleep 60 < '{fifo}'"]);
        try
        {
            var tape = new InputTape(_layout);
            var writer = new InputRingWriter(tape);
            var recorder = new InputRecorder(fifo, tape, 48000);
            long stamped = 0;
            recorder.Start(() => Volatile.Read(ref stamped));
            for (long seq = 0; seq < 1000; seq++) // 512 KB of input
            {
                writer.TryWrite(seq, Block(seq)); // the callback's side never waits
            }
            Volatile.Write(ref stamped, 1000);
            Thread.Sleep(500); // the thread writes until the pipe is full, then blocks inside a write
            Assert.InRange(recorder.Next, 1, 999);
            long before = Stopwatch.GetTimestamp();
            Assert.False(recorder.Stop(1000, TimeSpan.FromMilliseconds(300)));
            Assert.InRange(Stopwatch.GetElapsedTime(before).TotalSeconds, 0.25, 3);
            Assert.Contains("did not finish", recorder.FirstLoss, StringComparison.Ordinal);
            Assert.True(recorder.BlocksLost > 0);
        }
        finally
        {
            stuck.Kill(); // the write fails (a broken pipe) and the thread, told to stop, ends
            stuck.WaitForExit();
            File.Delete(fifo);
        }
    }
}
