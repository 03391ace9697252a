using System.Runtime.InteropServices;

namespace Perpetuo.Transport.Tests;

/// <summary>Pins the shared-memory format: any change here must come with a bump of RegionLayout.CurrentVersion.</summary>
public sealed class LayoutTests
{
    private enum Writer
    {
        SupervisorAtCreation,
        AudioProducer,
        AudioConsumer,
        SupervisorControl,
        CommandProducer,
        CommandConsumer,
        Doorbell,
    }

    private static readonly (string Field, int Offset, Writer Writer)[] HeaderFields =
    [
        (nameof(RegionHeader.Magic), 0, Writer.SupervisorAtCreation),
        (nameof(RegionHeader.Version), 8, Writer.SupervisorAtCreation),
        (nameof(RegionHeader.HeaderSize), 12, Writer.SupervisorAtCreation),
        (nameof(RegionHeader.BlockFrames), 16, Writer.SupervisorAtCreation),
        (nameof(RegionHeader.Channels), 20, Writer.SupervisorAtCreation),
        (nameof(RegionHeader.SampleRate), 24, Writer.SupervisorAtCreation),
        (nameof(RegionHeader.RingCapacity), 28, Writer.SupervisorAtCreation),
        (nameof(RegionHeader.SlotStride), 32, Writer.SupervisorAtCreation),
        (nameof(RegionHeader.CommandCapacity), 36, Writer.SupervisorAtCreation),
        (nameof(RegionHeader.AudioRingOffset), 40, Writer.SupervisorAtCreation),
        (nameof(RegionHeader.CommandRingOffset), 48, Writer.SupervisorAtCreation),
        (nameof(RegionHeader.SnapshotOffset), 56, Writer.SupervisorAtCreation),
        (nameof(RegionHeader.SnapshotCapacity), 64, Writer.SupervisorAtCreation),
        (nameof(RegionHeader.TotalSize), 72, Writer.SupervisorAtCreation),
        (nameof(RegionHeader.SlotIndex), 80, Writer.SupervisorAtCreation),
        (nameof(RegionHeader.CommandRecordSize), 84, Writer.SupervisorAtCreation),
        (nameof(RegionHeader.InputCapacity), 88, Writer.SupervisorAtCreation),
        (nameof(RegionHeader.InputRingOffset), 96, Writer.SupervisorAtCreation),
        (nameof(RegionHeader.WritePosition), 128, Writer.AudioProducer),
        (nameof(RegionHeader.Heartbeat), 136, Writer.AudioProducer),
        (nameof(RegionHeader.HeartbeatTimestamp), 144, Writer.AudioProducer),
        (nameof(RegionHeader.WorkerPid), 152, Writer.AudioProducer),
        (nameof(RegionHeader.SnapshotSeq), 160, Writer.AudioProducer),
        (nameof(RegionHeader.SnapshotLength), 168, Writer.AudioProducer),
        (nameof(RegionHeader.RenderingSeq), 176, Writer.AudioProducer),
        (nameof(RegionHeader.ClippedBlocks), 184, Writer.AudioProducer),
        (nameof(RegionHeader.Waiting), 192, Writer.AudioProducer),
        (nameof(RegionHeader.ReadPosition), 256, Writer.AudioConsumer),
        (nameof(RegionHeader.RenderLimit), 384, Writer.SupervisorControl),
        (nameof(RegionHeader.SupervisorPid), 392, Writer.SupervisorControl),
        (nameof(RegionHeader.StartSeq), 400, Writer.SupervisorControl),
        (nameof(RegionHeader.RenderLead), 408, Writer.SupervisorControl),
        (nameof(RegionHeader.CommandWrite), 512, Writer.CommandProducer),
        (nameof(RegionHeader.CommandRead), 640, Writer.CommandConsumer),
        (nameof(RegionHeader.PositionBlock), 768, Writer.AudioProducer),
        (nameof(RegionHeader.PositionModule), 776, Writer.AudioProducer),
        (nameof(RegionHeader.PositionIdLength), 780, Writer.AudioProducer),
        (nameof(RegionHeader.PositionId), 784, Writer.AudioProducer),
        (nameof(RegionHeader.QuarantineCount), 896, Writer.AudioProducer),
        (nameof(RegionHeader.QuarantineReports), 1024, Writer.AudioProducer),
        (nameof(RegionHeader.Doorbell), 1536, Writer.Doorbell),
    ];

    [Fact]
    public void RegionHeaderIsThirteenLinesOf128Bytes()
    {
        Assert.Equal(128, RegionHeader.LineSize);
        Assert.Equal(1664, RegionHeader.Size);
        Assert.Equal(4 * RegionHeader.LineSize, RegionHeader.QuarantineSlots * QuarantineEntry.Size); // lines 8-11, whole
        Assert.Equal(QuarantineEntry.Size, Marshal.SizeOf<QuarantineEntry>());
        Assert.Equal(20 + CommandRecord.MaxIdBytes, 60); // the id ends inside the entry
        Assert.Equal(RegionHeader.Size, Marshal.SizeOf<RegionHeader>());
    }

    [Fact]
    public void EveryRegionHeaderFieldIsAtItsPinnedOffset()
    {
        Assert.Equal(HeaderFields.Length, typeof(RegionHeader).GetFields().Count(f => !f.IsLiteral)); // no field unpinned
        foreach (var (field, offset, _) in HeaderFields)
        {
            Assert.True(offset == TestRegion.HeaderOffset(field), $"{field} is at {TestRegion.HeaderOffset(field)}, pinned at {offset}");
        }
    }

    [Fact]
    public void FieldsWrittenByDifferentSidesNeverShareA128ByteLine()
    {
        foreach (var a in HeaderFields)
        {
            foreach (var b in HeaderFields.Where(b => b.Writer != a.Writer))
            {
                // The struct's real offsets, not the table's: this holds even if a pinned offset were wrong.
                Assert.True(TestRegion.HeaderOffset(a.Field) / 128 != TestRegion.HeaderOffset(b.Field) / 128,
                            $"{a.Field} ({a.Writer}) and {b.Field} ({b.Writer}) share a line");
            }
        }
        Assert.NotEqual(TestRegion.HeaderOffset(nameof(RegionHeader.WritePosition)) / 128,
                        TestRegion.HeaderOffset(nameof(RegionHeader.ReadPosition)) / 128);
        Assert.NotEqual(TestRegion.HeaderOffset(nameof(RegionHeader.CommandWrite)) / 128,
                        TestRegion.HeaderOffset(nameof(RegionHeader.CommandRead)) / 128);
    }

    [Fact]
    public void EveryLongFieldOfEverySharedStructIsEightByteAligned()
    {
        foreach (Type t in new[] { typeof(RegionHeader), typeof(AudioSlotHeader), typeof(CommandRecord) })
        {
            foreach (var f in t.GetFields().Where(f => !f.IsStatic && (f.FieldType == typeof(long) || f.FieldType == typeof(ulong))))
            {
                int offset = (int)Marshal.OffsetOf(t, f.Name);
                Assert.True(offset % 8 == 0, $"{t.Name}.{f.Name} at {offset} is not 8-byte aligned");
            }
        }
    }

    [Fact]
    public void AudioSlotHeaderIs64BytesWithPinnedOffsets()
    {
        Assert.Equal(64, AudioSlotHeader.Size);
        Assert.Equal(64, Marshal.SizeOf<AudioSlotHeader>());
        Assert.Equal(0, TestRegion.SlotHeaderOffset(nameof(AudioSlotHeader.Seq)));
        Assert.Equal(8, TestRegion.SlotHeaderOffset(nameof(AudioSlotHeader.Frames)));
        Assert.Equal(12, TestRegion.SlotHeaderOffset(nameof(AudioSlotHeader.Channels)));
        Assert.Equal(16, TestRegion.SlotHeaderOffset(nameof(AudioSlotHeader.Hash)));
    }

    [Fact]
    public void CommandRecordIsOneLineWithPinnedOffsets()
    {
        Assert.Equal(128, CommandRecord.Size);
        (string, int)[] pinned =
        [
            (nameof(CommandRecord.Position), 0), (nameof(CommandRecord.ApplyBlock), 8),
            (nameof(CommandRecord.FrameOffset), 16), (nameof(CommandRecord.Kind), 20),
            (nameof(CommandRecord.Value), 24), (nameof(CommandRecord.Value2), 28),
            (nameof(CommandRecord.IdLength), 32), (nameof(CommandRecord.NameLength), 36),
            (nameof(CommandRecord.Id), 40), (nameof(CommandRecord.Name), 80),
        ];
        foreach (var (field, offset) in pinned)
        {
            Assert.Equal(offset, (int)Marshal.OffsetOf<CommandRecord>(field));
        }
        Assert.Equal(CommandRecord.MaxIdBytes, 80 - 40);
        Assert.Equal(CommandRecord.MaxNameBytes, 128 - 80);
    }

    [Theory]
    [InlineData(256, 1, 4, 1152, 6272)]
    [InlineData(480, 2, 8, 3968, 33408)]
    [InlineData(1, 1, 2, 128, 1920)]
    [InlineData(8192, 64, 1024, 2097280, 2147616384)]
    public void RegionLayoutPlacesRingsAfterTheHeaderOnWholeLines(int frames, int channels, int capacity, int stride, long commandOffset)
    {
        var layout = new RegionLayout(frames, channels, 48000, capacity);

        Assert.Equal(stride, layout.SlotStride);
        Assert.Equal(0, layout.SlotStride % 128);
        Assert.InRange(layout.SlotStride - (AudioSlotHeader.Size + (frames * channels * sizeof(float))), 0, 127);
        Assert.Equal(RegionHeader.Size, layout.AudioRingOffset);
        Assert.Equal(commandOffset, layout.CommandRingOffset);
        Assert.Equal(commandOffset + ((long)Perpetuo.Protocol.Limits.CommandRingRecords * CommandRecord.Size), layout.SnapshotOffset);
        Assert.Equal(layout.SnapshotOffset + Perpetuo.Protocol.Limits.SnapshotBytes, layout.TotalSize);
    }

    [Theory]
    [InlineData(0, 1, 4)]
    [InlineData(8193, 1, 4)]
    [InlineData(256, 0, 4)]
    [InlineData(256, 65, 4)]
    [InlineData(256, 1, 3)]
    [InlineData(256, 1, 1)]
    [InlineData(256, 1, 2048)]
    public void RegionLayoutRejectsImpossibleFormats(int frames, int channels, int capacity) =>
        Assert.Throws<ArgumentException>(() => new RegionLayout(frames, channels, 48000, capacity));
}
