using Perpetuo.Protocol;

namespace Perpetuo.Transport.Tests;

public sealed class CommandRingTests
{
    private static CommandRecord Numbered(long i) =>
        CommandRecord.Create((int)CommandKind.SetParam, applyBlock: i, frameOffset: (int)(i % 480), id: "m" + i, name: "p", value: i);

    [Fact]
    public void RecordsComeOutInOrderAcrossManyWrapArounds()
    {
        using var t = new TestRegion(commandCapacity: 4);
        var writer = new CommandRingWriter(t.Region);
        var reader = new CommandRingReader(t.Region);
        var rng = new Random(7);
        long written = 0, read = 0;
        while (read < 5000)
        {
            for (int n = rng.Next(0, 6); n > 0 && writer.TryWrite(Numbered(written)); n--)
            {
                written++;
            }
            for (int n = rng.Next(0, 6); n > 0 && reader.TryPeek(out CommandRecord r); n--)
            {
                Assert.Equal(read, r.ApplyBlock);
                Assert.Equal(read, r.Position);
                Assert.Equal("m" + read, r.IdString);
                Assert.Equal((float)read, r.Value);
                reader.Advance();
                read++;
            }
        }
        Assert.False(reader.Corrupt);
        Assert.True(written - read is >= 0 and <= 4);
    }

    [Fact]
    public void AFullRingRejectsTheWriteAndLosesNothingItAccepted()
    {
        using var t = new TestRegion(commandCapacity: 4);
        var writer = new CommandRingWriter(t.Region);
        var reader = new CommandRingReader(t.Region);
        for (long i = 0; i < 4; i++)
        {
            Assert.True(writer.TryWrite(Numbered(i)));
        }

        Assert.Equal(0, writer.FreeSpace);
        Assert.False(writer.TryWrite(Numbered(99)));
        Assert.True(reader.TryPeek(out CommandRecord first));
        Assert.Equal(0, first.ApplyBlock);
        Assert.False(writer.TryWrite(Numbered(99))); // peeked is not consumed
        reader.Advance();
        Assert.True(writer.TryWrite(Numbered(4)));

        for (long i = 1; i <= 4; i++)
        {
            Assert.True(reader.TryPeek(out CommandRecord r));
            Assert.Equal(i, r.ApplyBlock);
            reader.Advance();
        }
        Assert.False(reader.TryPeek(out _));
        Assert.Equal(4, writer.FreeSpace);
    }

    [Theory]
    [InlineData(1000)]       // more than the capacity ahead of the reader
    [InlineData(-3)]         // behind the reader
    [InlineData(long.MaxValue)]
    public void AnImpossibleWritePositionMarksTheReaderCorrupt(long garbage)
    {
        using var t = new TestRegion(commandCapacity: 8);
        var writer = new CommandRingWriter(t.Region);
        var reader = new CommandRingReader(t.Region);
        writer.TryWrite(Numbered(0));
        t.PokeLong(TestRegion.HeaderOffset(nameof(RegionHeader.CommandWrite)), garbage);

        Assert.False(reader.TryPeek(out _));
        Assert.True(reader.Corrupt);
    }

    [Fact]
    public void ARecordStampedWithAnotherPositionMarksTheReaderCorrupt()
    {
        using var t = new TestRegion(commandCapacity: 8);
        var writer = new CommandRingWriter(t.Region);
        var reader = new CommandRingReader(t.Region);
        writer.TryWrite(Numbered(0));
        t.PokeLong(t.Layout.CommandRingOffset, 8); // record 0's Position

        Assert.False(reader.TryPeek(out _));
        Assert.True(reader.Corrupt);
    }

    [Fact]
    public void StringsRoundTripThroughTheRingIncludingMultiByteUtf8()
    {
        using var t = new TestRegion();
        var writer = new CommandRingWriter(t.Region);
        var reader = new CommandRingReader(t.Region);
        string id = new string('i', CommandRecord.MaxIdBytes - 2) + "é";
        string name = "fréquence-de-coupure";
        writer.TryWrite(CommandRecord.Create((int)CommandKind.AddModule, 12, 34, id, name, 1.5f, -2.5f));

        Assert.True(reader.TryPeek(out CommandRecord r));
        Assert.Equal(id, r.IdString);
        Assert.Equal(name, r.NameString);
        Assert.Equal((int)CommandKind.AddModule, r.Kind);
        Assert.Equal(12, r.ApplyBlock);
        Assert.Equal(34, r.FrameOffset);
        Assert.Equal(1.5f, r.Value);
        Assert.Equal(-2.5f, r.Value2);
    }

    [Fact]
    public void StringsAtTheLimitAreAcceptedAndOneByteMoreIsAnArgumentError()
    {
        Assert.Equal(new string('a', 40), CommandRecord.Create(1, 0, 0, id: new string('a', 40)).IdString);
        Assert.Equal(new string('b', 48), CommandRecord.Create(1, 0, 0, name: new string('b', 48)).NameString);

        Assert.Throws<ArgumentException>(() => CommandRecord.Create(1, 0, 0, id: new string('a', 41)));
        Assert.Throws<ArgumentException>(() => CommandRecord.Create(1, 0, 0, name: new string('b', 49)));
        Assert.Throws<ArgumentException>(() => CommandRecord.Create(1, 0, 0, id: new string('é', 21))); // 42 bytes
    }

    [Fact]
    public void AStoredStringLengthOutOfRangeDecodesAsNull()
    {
        var r = CommandRecord.Create(1, 0, 0, "id", "name");
        r.IdLength = CommandRecord.MaxIdBytes + 1;
        r.NameLength = -1;
        Assert.Null(r.IdString);
        Assert.Null(r.NameString);
    }
}
