using Perpetuo.Supervisor.Callback;
using Perpetuo.Transport;

namespace Perpetuo.Supervisor.Tests.Callback;

/// <summary>The callback's side of the live input: one number per captured block, the same block in every ring.</summary>
[Collection(AllocationCollection.Name)]
public sealed class InputFanOutTests : IDisposable
{
    private readonly RegionLayout _layout = new(64, 2, 48000, 8, liveInput: true);
    private readonly SharedRegion _a;
    private readonly SharedRegion _b;
    private readonly InputTape _tape;

    public InputFanOutTests()
    {
        _a = SharedRegion.Create(_layout, 0);
        _b = SharedRegion.Create(_layout, 1);
        _tape = new InputTape(_layout);
    }

    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
    }

    private InputFanOut FanOut(int depth) =>
        new([new InputRingWriter(_a), new InputRingWriter(_b), new InputRingWriter(_tape)], depth);

    private float[] Read(InputRingReader reader, long seq)
    {
        var into = new float[_layout.BlockSamples];
        Assert.Equal(InputRead.Ready, reader.TryRead(seq, into));
        return into;
    }

    [Fact]
    public void TheBlocksBeforeTheDepthAreSilenceAndTheKthCapturedBlockIsBlockDepthPlusK()
    {
        InputFanOut input = FanOut(depth: 3);
        input.StampSilence(_layout.BlockSamples);
        Assert.Equal(3, input.Next);
        for (int k = 0; k < 5; k++)
        {
            input.TryPut(Enumerable.Repeat((float)(k + 1), _layout.BlockSamples).ToArray(), released: k);
        }
        Assert.Equal(8, input.Next);
        foreach (InputRingReader reader in new[] { new InputRingReader(_a), new InputRingReader(_b), new InputRingReader(_tape) })
        {
            for (long seq = 0; seq < 3; seq++)
            {
                Assert.All(Read(reader, seq), s => Assert.Equal(0f, s));
            }
            for (int k = 0; k < 5; k++)
            {
                Assert.All(Read(reader, 3 + k), s => Assert.Equal(k + 1f, s));
            }
            Assert.Equal(InputRead.NotYet, reader.Peek(8));
        }
    }

    [Fact]
    public void TheBlockReaderPassesCapturedInputOnAndIgnoresABlockOfTheWrongSize()
    {
        InputFanOut input = FanOut(depth: 2);
        var reader = new BlockReader([new SlotChannel(0, new AudioRingReader(_a))], _layout.Channels, _layout.BlockFrames,
                                     new EventQueue(), input: input);
        reader.TryPutInput(new float[_layout.BlockSamples - 2]);
        Assert.Equal(2, input.Next);
        reader.TryPutInput(Enumerable.Repeat(0.5f, _layout.BlockSamples).ToArray());
        Assert.Equal(3, input.Next);
        Assert.All(Read(new InputRingReader(_b), 2), s => Assert.Equal(0.5f, s));
    }

    [Fact]
    public void TheDoorbellRingsOnlyForABlockAWorkerMayRenderNow()
    {
        InputFanOut input = FanOut(depth: 2);
        var block = new float[_layout.BlockSamples];
        int before = Doorbell(_a);
        input.TryPut(block, released: 0); // block 2: rendered only after block 0's release, which rings itself
        Assert.Equal(before, Doorbell(_a));
        input.TryPut(block, released: 2); // block 3 < 2 + 2: a worker may be waiting for it (a period shorter than the block)
        Assert.Equal(before + 1, Doorbell(_a));
    }

    private static int Doorbell(SharedRegion region)
    {
        using var f = new FileStream(region.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var word = new byte[4];
        f.Seek(System.Runtime.InteropServices.Marshal.OffsetOf<RegionHeader>(nameof(RegionHeader.Doorbell)), SeekOrigin.Begin);
        f.ReadExactly(word);
        return BitConverter.ToInt32(word);
    }

    [Fact]
    public void PuttingInputAllocatesNothing()
    {
        InputFanOut input = FanOut(depth: 2);
        float[] block = new float[_layout.BlockSamples];
        input.TryPut(block, 0);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            input.TryPut(block, i);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
