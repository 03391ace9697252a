namespace Perpetuo.Transport.Tests;

/// <summary>The input ring: the callback stamps each block of live input, a worker reads block N's input by number.</summary>
public sealed class InputRingTests : IDisposable
{
    private readonly RegionLayout _layout = new(64, 2, 48000, 4, liveInput: true);
    private readonly SharedRegion _region;

    public InputRingTests() => _region = SharedRegion.Create(_layout, 0);

    public void Dispose() => _region.Dispose();

    private float[] Block(long seq) => Enumerable.Range(0, _layout.BlockSamples).Select(i => (seq * 1000) + i + 0.5f).ToArray();

    [Fact]
    public void AWorkerReadsEachBlocksInputByItsNumber()
    {
        var writer = new InputRingWriter(_region);
        var reader = new InputRingReader(_region);
        var into = new float[_layout.BlockSamples];
        for (long seq = 0; seq < 3 * _layout.InputCapacity; seq++)
        {
            Assert.Equal(InputRead.NotYet, reader.Peek(seq));
            Assert.True(writer.TryWrite(seq, Block(seq)));
            Assert.Equal(InputRead.Ready, reader.TryRead(seq, into));
            Assert.Equal(Block(seq), into);
        }
    }

    [Fact]
    public void ABlockAWholeRingOldIsLostAndABlockNotWrittenIsNotYetThere()
    {
        var writer = new InputRingWriter(_region);
        var reader = new InputRingReader(_region);
        var into = new float[_layout.BlockSamples];
        int capacity = _layout.InputCapacity;
        for (long seq = 0; seq <= capacity; seq++)
        {
            writer.TryWrite(seq, Block(seq));
        }
        Assert.Equal(InputRead.Lost, reader.TryRead(0, into));            // overwritten by block `capacity`
        Assert.Equal(InputRead.Ready, reader.TryRead(1, into));           // the oldest still held
        Assert.Equal(InputRead.NotYet, reader.TryRead(capacity + 1, into));
        Assert.Equal(InputRead.Lost, reader.Peek(-1));
    }

    [Fact]
    public void TheInputSurvivesANewWorkerOnTheSlot()
    {
        var writer = new InputRingWriter(_region);
        for (long seq = 0; seq < 10; seq++)
        {
            writer.TryWrite(seq, Block(seq));
        }
        new SupervisorLink(_region).ResetForNewWorker(5);
        var into = new float[_layout.BlockSamples];
        Assert.Equal(InputRead.Ready, new InputRingReader(_region).TryRead(5, into)); // a respawned worker catches up from it
        Assert.Equal(Block(5), into);
    }

    [Fact]
    public void AScribbledInputBlockIsLostNotTakenForTheInput()
    {
        var writer = new InputRingWriter(_region);
        writer.TryWrite(7, Block(7));
        long sample = _layout.InputRingOffset + (7 * _layout.SlotStride) + AudioSlotHeader.Size + 12;
        using (var f = new FileStream(_region.Path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete))
        {
            f.Seek(sample, SeekOrigin.Begin);
            f.Write(BitConverter.GetBytes(123.25f));
        }
        Assert.Equal(InputRead.Lost, new InputRingReader(_region).TryRead(7, new float[_layout.BlockSamples]));
    }

    [Fact]
    public void AWrongSizedBlockIsRefusedAndARegionWithoutInputHasNoRing()
    {
        Assert.False(new InputRingWriter(_region).TryWrite(0, new float[_layout.BlockSamples - 1]));
        Assert.False(new InputRingWriter(_region).TryWrite(-1, new float[_layout.BlockSamples]));
        using var plain = SharedRegion.Create(new RegionLayout(64, 2, 48000, 4), 1);
        Assert.Throws<ArgumentException>(() => new InputRingWriter(plain));
        Assert.Throws<ArgumentException>(() => new InputRingReader(plain));
    }

    [Fact]
    public void TheSupervisorsTapeHoldsTheSameBlocksInItsOwnMemory()
    {
        var tape = new InputTape(_layout);
        var writer = new InputRingWriter(tape);
        var reader = new InputRingReader(tape);
        var into = new float[_layout.BlockSamples];
        writer.TryWrite(3, Block(3));
        Assert.Equal(InputRead.Ready, reader.TryRead(3, into));
        Assert.Equal(Block(3), into);
        Assert.Equal(InputRead.NotYet, reader.TryRead(4, into));
        Assert.Equal(InputRead.NotYet, new InputRingReader(_region).Peek(3)); // not the region's
    }

    [Fact]
    public void ATapeLivesAsLongAsTheRingsThatUseIt()
    {
        (InputRingWriter writer, InputRingReader reader) = RingsOfAFreshTape();
        Assert.True(writer.TryWrite(5, Block(5)));
        GC.Collect(); // a tape only the rings point into would be freed here...
        GC.WaitForPendingFinalizers();
        var reuse = new List<byte[]>();
        for (int i = 0; i < 4; i++)
        {
            byte[] other = GC.AllocateArray<byte>(_layout.InputCapacity * _layout.SlotStride, pinned: true);
            other.AsSpan().Fill(0xFF); // ...and its memory given to these
            reuse.Add(other);
        }
        var into = new float[_layout.BlockSamples];
        Assert.Equal(InputRead.Ready, reader.TryRead(5, into));
        Assert.Equal(Block(5), into);
        GC.KeepAlive(reuse);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private (InputRingWriter, InputRingReader) RingsOfAFreshTape()
    {
        var tape = new InputTape(_layout);
        return (new InputRingWriter(tape), new InputRingReader(tape));
    }

    [Fact]
    public void WritingInputAllocatesNothing()
    {
        var writer = new InputRingWriter(_region);
        float[] block = Block(1);
        writer.TryWrite(0, block);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (long seq = 1; seq < 1000; seq++)
        {
            writer.TryWrite(seq, block);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
