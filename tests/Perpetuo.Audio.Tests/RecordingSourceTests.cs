using Perpetuo.Audio;

namespace Perpetuo.Audio.Tests;

/// <summary>RecordingSource: what the output plays is passed through untouched, recorded in order, without allocating.</summary>
public sealed class RecordingSourceTests
{
    private const int Channels = 2;
    private const int BlockFrames = 64;
    private const int Samples = Channels * BlockFrames;

    [Fact]
    public void TheOutputGetsExactlyWhatTheInnerSourceProduced()
    {
        var blocks = new List<float[]>();
        using var recorder = new RecordingSource(new RampSource(Channels, BlockFrames), Samples, 8, (b, _) => blocks.Add(b.ToArray()));
        var buffer = new float[Samples];
        recorder.TryFillBlock(buffer);
        for (int i = 0; i < BlockFrames; i++)
        {
            Assert.Equal(RampSource.Sample(i, 0), buffer[i * Channels]);
            Assert.Equal(RampSource.Sample(i, 1), buffer[(i * Channels) + 1]);
        }
        recorder.Complete();
        Assert.Equal(buffer, Assert.Single(blocks));
    }

    [Fact]
    public void FillingTheRingAllocatesNothingOnTheAudioThreadAfterWarmUp()
    {
        var gate = new ManualResetEventSlim(false);
        using var recorder = new RecordingSource(new RampSource(Channels, BlockFrames), Samples, 64, (_, _) => gate.Wait());
        var buffer = new float[Samples];
        for (int i = 0; i < 16; i++)
        {
            recorder.TryFillBlock(buffer); // warm-up: JIT and tiering
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            recorder.TryFillBlock(buffer); // the writer is held: the ring fills, then the full path runs too
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        gate.Set();
        recorder.Complete();
        Assert.Equal(0, allocated);
        Assert.True(recorder.DroppedBlocks > 0, "the held writer should have made the ring overflow");
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(32)]
    [InlineData(1024)]
    public void EveryBlockReachesTheSinkOnceAndInOrder(int capacity)
    {
        const int total = 3_000; // at capacity 2 the writer's idle sleep paces this: keep it short
        long expectedFrame = 0;
        long expectedNumber = 0;
        string? problem = null;
        using var recorder = new RecordingSource(new RampSource(Channels, BlockFrames), Samples, capacity, (b, number) =>
        {
            if (problem == null && (number != expectedNumber || RampSource.FrameOf(b[0]) != expectedFrame % RampSource.Period))
            {
                problem = $"block {number} (first frame {RampSource.FrameOf(b[0])}) where {expectedNumber} was due";
            }
            expectedNumber++;
            expectedFrame += BlockFrames;
        });
        var buffer = new float[Samples];
        var random = new Random(capacity);
        for (int i = 0; i < total; i++)
        {
            while (!RingHasRoom(recorder, capacity, i))
            {
                Thread.Yield(); // a test producer may wait; the real audio thread never does, it drops instead
            }
            recorder.TryFillBlock(buffer);
            if (random.Next(64) == 0)
            {
                Thread.Yield();
            }
        }
        recorder.Complete();
        Assert.Null(problem);
        Assert.Equal(total, expectedNumber);
        Assert.Equal(0, recorder.DroppedBlocks);
    }

    [Fact]
    public void AFullRingCountsDroppedBlocksAndTheWriterFillsTheirPlaceWithSilence()
    {
        var gate = new ManualResetEventSlim(false);
        var numbers = new List<long>();
        var firstSamples = new List<float>();
        using var recorder = new RecordingSource(new RampSource(Channels, BlockFrames), Samples, 4, (b, n) =>
        {
            gate.Wait();
            numbers.Add(n);
            firstSamples.Add(b[0]);
        });
        var buffer = new float[Samples];
        for (int i = 0; i < 10; i++)
        {
            recorder.TryFillBlock(buffer); // the writer is held inside the sink: blocks 0..3 fill the ring, 4..9 find it full
        }
        long dropped = recorder.DroppedBlocks;
        gate.Set();
        SpinWait.SpinUntil(() => recorder.WrittenBlocks == 4, TimeSpan.FromSeconds(10));
        recorder.TryFillBlock(buffer); // block 10: there is room again
        recorder.Complete();
        Assert.Equal(6, dropped);
        Assert.Equal(11, recorder.Blocks);
        Assert.Equal(Enumerable.Range(0, 11).Select(i => (long)i), numbers); // the gap became numbered blocks of silence
        Assert.Equal(RampSource.Sample(3 * BlockFrames, 0), firstSamples[3]);
        Assert.All(firstSamples.Skip(4).Take(6), s => Assert.Equal(0f, s));
        Assert.Equal(RampSource.Sample(10 * BlockFrames, 0), firstSamples[10]); // and block 10 kept its time
    }

    [Fact]
    public void ACapacityThatIsNotAPowerOfTwoIsRefused()
    {
        Assert.Throws<ArgumentException>(() => new RecordingSource(new RampSource(Channels, BlockFrames), Samples, 6, (_, _) => { }));
    }

    [Fact]
    public void TheWavRecordingHoldsEveryBlockPlayed()
    {
        string path = Path.Combine(Path.GetTempPath(), $"perpetuo-recording-{Environment.ProcessId}.wav");
        try
        {
            var format = new AudioFormat(48000, Channels, BlockFrames);
            RecordingSource recorder = WavRecording.Start(new RampSource(Channels, BlockFrames), format, path, 256, out WavWriter wav);
            var buffer = new float[Samples];
            for (int i = 0; i < 100; i++)
            {
                recorder.TryFillBlock(buffer);
                Thread.Sleep(i % 10 == 0 ? 1 : 0);
            }
            recorder.Complete();
            wav.Dispose();
            Assert.Equal(0, recorder.DroppedBlocks);
            WavFile file = WavFile.Read(path);
            Assert.Equal(100L * BlockFrames, file.Frames);
            for (long f = 0; f < file.Frames; f++)
            {
                Assert.Equal(RampSource.Sample(f, 1), file.Samples[(f * Channels) + 1]);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Whether block <paramref name="sent"/> would fit: the test's own pacing (the writer is slower at times).</summary>
    private static bool RingHasRoom(RecordingSource recorder, int capacity, int sent) => sent - recorder.WrittenBlocks < capacity;
}
