using System.Runtime.InteropServices;
using Perpetuo.Audio.Native;

namespace Perpetuo.Audio.Tests;

public sealed class BlockPeriodAdapterTests
{
    [Theory]
    [InlineData(256, 128)]
    [InlineData(256, 1024)]
    [InlineData(256, 256)]
    [InlineData(256, 100)]
    [InlineData(480, 256)]
    [InlineData(64, 1000)]
    public void PlanarOutputIsTheBlockStreamContiguouslyForAnyPeriod(int blockFrames, int periodFrames)
    {
        const int Channels = 2;
        var adapter = new BlockPeriodAdapter(new AudioFormat(48000, Channels, blockFrames));
        adapter.Reset(new RampSource(Channels, blockFrames));
        using var ports = new NativeBuffers(Channels, periodFrames);

        long frame = 0;
        for (int callback = 0; callback < 200; callback++)
        {
            adapter.TryReadPlanar(ports.Pointers, periodFrames);
            for (int c = 0; c < Channels; c++)
            {
                float[] got = ports.Read(c, periodFrames);
                for (int i = 0; i < periodFrames; i++)
                {
                    Assert.Equal(RampSource.Sample(frame + i, c), got[i]);
                }
            }

            frame += periodFrames;
        }

        Assert.Equal((frame + blockFrames - 1) / blockFrames, adapter.BlocksPulled);
    }

    [Theory]
    [InlineData(256, 128)]
    [InlineData(256, 1024)]
    [InlineData(480, 441)]
    public void InterleavedOutputIsTheBlockStreamContiguouslyForAnyPeriod(int blockFrames, int periodFrames)
    {
        const int Channels = 3;
        var adapter = new BlockPeriodAdapter(new AudioFormat(48000, Channels, blockFrames));
        adapter.Reset(new RampSource(Channels, blockFrames));
        using var buffer = new NativeBuffers(1, periodFrames * Channels);

        long frame = 0;
        for (int callback = 0; callback < 100; callback++, frame += periodFrames)
        {
            adapter.TryReadInterleaved(buffer.Pointers[0], periodFrames);
            float[] got = buffer.Read(0, periodFrames * Channels);
            for (int i = 0; i < got.Length; i++)
            {
                Assert.Equal(RampSource.Sample(frame + (i / Channels), i % Channels), got[i]);
            }
        }
    }

    [Fact]
    public void PeriodsThatChangeEveryCallbackStillGetAContiguousStream()
    {
        var random = new Random(1234);
        var adapter = new BlockPeriodAdapter(new AudioFormat(48000, 1, 192));
        adapter.Reset(new RampSource(1, 192));
        using var port = new NativeBuffers(1, 4096);

        long frame = 0;
        for (int callback = 0; callback < 500; callback++)
        {
            int n = random.Next(1, 4097);
            adapter.TryReadPlanar(port.Pointers, n);
            float[] got = port.Read(0, n);
            for (int i = 0; i < n; i++)
            {
                Assert.Equal(RampSource.Sample(frame + i, 0), got[i]);
            }

            frame += n;
        }
    }

    [Fact]
    public void ReadingDoesNotAllocateOnceWarm()
    {
        var adapter = new BlockPeriodAdapter(new AudioFormat(48000, 2, 256));
        adapter.Reset(new RampSource(2, 256));
        using var ports = new NativeBuffers(2, 1024);
        using var interleaved = new NativeBuffers(1, 2048);
        for (int i = 0; i < 100; i++)
        {
            adapter.TryReadPlanar(ports.Pointers, 1024);
            adapter.TryReadInterleaved(interleaved.Pointers[0], 1024);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            adapter.TryReadPlanar(ports.Pointers, 128 + (i % 897));
            adapter.TryReadInterleaved(interleaved.Pointers[0], 128 + (i % 897));
            BlockPeriodAdapter.TryWriteSilence(interleaved.Pointers[0], 2048);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Fact]
    public void WithoutASourceTheDeviceGetsSilence()
    {
        var adapter = new BlockPeriodAdapter(new AudioFormat(48000, 2, 256));
        adapter.Reset(new RampSource(2, 256));
        using var ports = new NativeBuffers(2, 100);
        adapter.TryReadPlanar(ports.Pointers, 100);
        adapter.Reset(null);

        adapter.TryReadPlanar(ports.Pointers, 100);

        Assert.All(ports.Read(0, 100), s => Assert.Equal(0f, s));
        Assert.All(ports.Read(1, 100), s => Assert.Equal(0f, s));
    }

    /// <summary>Records the input blocks and, at each pull, how many input blocks had arrived.</summary>
    private sealed class DuplexProbe(int channels, int blockFrames) : IBlockSource, ILiveInputSink
    {
        private readonly RampSource _ramp = new(channels, blockFrames);

        public List<float[]> Inputs { get; } = [];

        public List<int> InputsAtPull { get; } = [];

        public void TryPutInput(ReadOnlySpan<float> interleaved) => Inputs.Add(interleaved.ToArray());

        public void TryFillBlock(Span<float> interleaved)
        {
            InputsAtPull.Add(Inputs.Count);
            _ramp.TryFillBlock(interleaved);
        }
    }

    [Theory]
    [InlineData(64, 64)]
    [InlineData(256, 64)]
    [InlineData(64, 256)]
    [InlineData(256, 100)]
    public void CapturedInputReachesTheSinkAsWholeBlocksInOrderAndBeforeTheBlockOfItsPeriodWhenThePeriodIsTheBlock(int blockFrames, int periodFrames)
    {
        const int Channels = 2;
        var adapter = new BlockPeriodAdapter(new AudioFormat(48000, Channels, blockFrames));
        var probe = new DuplexProbe(Channels, blockFrames);
        adapter.Reset(probe, probe);
        using var outputs = new NativeBuffers(Channels, periodFrames);
        using var captures = new NativeBuffers(Channels, periodFrames);
        long frame = 0;
        for (int callback = 0; callback < 50; callback++)
        {
            for (int c = 0; c < Channels; c++)
            {
                float[] run = Enumerable.Range(0, periodFrames).Select(i => RampSource.Sample(frame + i, c)).ToArray();
                Marshal.Copy(run, 0, captures.Pointers[c], periodFrames);
            }
            adapter.TryReadPlanar(outputs.Pointers, periodFrames, captures.Pointers, Channels);
            frame += periodFrames;
        }

        Assert.Equal(frame, adapter.FramesDelivered);
        AssertTheSinkGotTheRampInWholeBlocks(probe, frame, blockFrames, pulledAfterItsInput: periodFrames % blockFrames == 0);
    }

    /// <summary>
    /// The sink got the stereo ramp from frame 0 as <paramref name="frames"/> / <paramref name="blockFrames"/> whole
    /// blocks, in order; when <paramref name="pulledAfterItsInput"/>, block k was pulled after input block k arrived
    /// (the workers find block k + depth's input at its release).
    /// </summary>
    private static void AssertTheSinkGotTheRampInWholeBlocks(DuplexProbe probe, long frames, int blockFrames, bool pulledAfterItsInput)
    {
        Assert.Equal(frames / blockFrames, probe.Inputs.Count);
        float[] all = probe.Inputs.SelectMany(b => b).ToArray();
        Assert.Equal(probe.Inputs.Count * blockFrames * 2, all.Length);
        for (int f = 0; f < all.Length / 2; f++)
        {
            Assert.Equal(RampSource.Sample(f, 0), all[f * 2]);
            Assert.Equal(RampSource.Sample(f, 1), all[(f * 2) + 1]);
        }
        if (pulledAfterItsInput)
        {
            Assert.Equal(Enumerable.Range(1, probe.InputsAtPull.Count), probe.InputsAtPull);
        }
    }

    [Theory]
    [InlineData(64, 64)]
    [InlineData(256, 100)]
    public void InterleavedCapturedInputReachesTheSinkAsWholeBlocksInOrder(int blockFrames, int periodFrames)
    {
        const int Channels = 2;
        var adapter = new BlockPeriodAdapter(new AudioFormat(48000, Channels, blockFrames));
        var probe = new DuplexProbe(Channels, blockFrames);
        adapter.Reset(probe, probe, captureChannels: Channels);
        using var output = new NativeBuffers(1, periodFrames * Channels);
        using var capture = new NativeBuffers(1, periodFrames * Channels);
        long frame = 0;
        for (int callback = 0; callback < 40; callback++)
        {
            float[] run = Enumerable.Range(0, periodFrames).SelectMany(i => new[] { RampSource.Sample(frame + i, 0), RampSource.Sample(frame + i, 1) }).ToArray();
            Marshal.Copy(run, 0, capture.Pointers[0], run.Length);
            adapter.TryReadInterleaved(output.Pointers[0], periodFrames, capture.Pointers[0], Channels);
            frame += periodFrames;
        }

        AssertTheSinkGotTheRampInWholeBlocks(probe, frame, blockFrames, pulledAfterItsInput: periodFrames == blockFrames);
    }

    [Fact]
    public void OneCapturePortIsHeardOnEveryChannelAndChannelsBeyondThePortsAreSilent()
    {
        var adapter = new BlockPeriodAdapter(new AudioFormat(48000, 3, 4));
        var probe = new DuplexProbe(3, 4);
        using var outputs = new NativeBuffers(3, 4);
        using var captures = new NativeBuffers(2, 4);
        Marshal.Copy(new[] { 1f, 2f, 3f, 4f }, 0, captures.Pointers[0], 4);
        Marshal.Copy(new[] { -1f, -2f, -3f, -4f }, 0, captures.Pointers[1], 4);

        adapter.Reset(probe, probe);
        adapter.TryReadPlanar(outputs.Pointers, 4, captures.Pointers, 1);
        Assert.Equal(new[] { 1f, 1f, 1f, 2f, 2f, 2f, 3f, 3f, 3f, 4f, 4f, 4f }, probe.Inputs[0]);

        adapter.TryReadPlanar(outputs.Pointers, 4, captures.Pointers, 2);
        Assert.Equal(new[] { 1f, -1f, 0f, 2f, -2f, 0f, 3f, -3f, 0f, 4f, -4f, 0f }, probe.Inputs[1]);
    }

    /// <summary>Native float buffers standing in for JACK port buffers or a PortAudio output buffer.</summary>
    private sealed class NativeBuffers : IDisposable
    {
        public NativeBuffers(int count, int floats)
        {
            Pointers = new IntPtr[count];
            for (int i = 0; i < count; i++)
            {
                Pointers[i] = Marshal.AllocHGlobal(floats * sizeof(float));
            }
        }

        public IntPtr[] Pointers { get; }

        public float[] Read(int index, int floats)
        {
            var result = new float[floats];
            Marshal.Copy(Pointers[index], result, 0, floats);
            return result;
        }

        public void Dispose()
        {
            foreach (IntPtr p in Pointers)
            {
                Marshal.FreeHGlobal(p);
            }
        }
    }
}
