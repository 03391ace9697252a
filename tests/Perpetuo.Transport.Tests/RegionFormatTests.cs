namespace Perpetuo.Transport.Tests;

public sealed class RegionFormatTests
{
    private static readonly RegionLayout Layout = new(256, 2, 48000, 4);

    private static RegionHeader ValidHeader()
    {
        var h = default(RegionHeader);
        Layout.WriteIdentity(ref h, 1);
        return h;
    }

    private delegate void Spoil(ref RegionHeader h);

    private static void AssertRejected(Spoil spoil, string field, long fileLength = -1)
    {
        RegionHeader h = ValidHeader();
        spoil(ref h);
        var e = Assert.Throws<RegionFormatException>(() => RegionLayout.FromHeader(h, fileLength < 0 ? Layout.TotalSize : fileLength));
        Assert.Contains(field, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AHeaderWrittenByWriteIdentityIsAccepted()
    {
        RegionLayout read = RegionLayout.FromHeader(ValidHeader(), Layout.TotalSize);
        Assert.Equal(Layout, read);
    }

    [Fact]
    public void FromHeaderRejectsBadMagic() => AssertRejected((ref RegionHeader h) => h.Magic ^= 1, "magic");

    [Fact]
    public void FromHeaderRejectsAnotherVersion() => AssertRejected((ref RegionHeader h) => h.Version++, "version");

    [Fact]
    public void FromHeaderRejectsAWrongHeaderSize() => AssertRejected((ref RegionHeader h) => h.HeaderSize = 512, "header size");

    [Fact]
    public void FromHeaderRejectsAWrongSlotStride() => AssertRejected((ref RegionHeader h) => h.SlotStride += 128, "slot stride");

    [Fact]
    public void FromHeaderRejectsAWrongCommandRecordSize() =>
        AssertRejected((ref RegionHeader h) => h.CommandRecordSize = 64, "command record size");

    [Fact]
    public void FromHeaderRejectsAWrongAudioRingOffset() =>
        AssertRejected((ref RegionHeader h) => h.AudioRingOffset = 0, "audio ring offset");

    [Fact]
    public void FromHeaderRejectsAWrongCommandRingOffset() =>
        AssertRejected((ref RegionHeader h) => h.CommandRingOffset -= 128, "command ring offset");

    [Fact]
    public void FromHeaderRejectsAWrongSnapshotOffset() =>
        AssertRejected((ref RegionHeader h) => h.SnapshotOffset += 4096, "snapshot offset");

    [Fact]
    public void FromHeaderRejectsAWrongTotalSize() => AssertRejected((ref RegionHeader h) => h.TotalSize = long.MaxValue, "total size");

    [Fact]
    public void FromHeaderRejectsAnInputCapacityThatIsNotAPowerOfTwoOrBeyondTheHistoryBudget()
    {
        AssertRejected((ref RegionHeader h) => h.InputCapacity = 3, "input capacity");
        AssertRejected((ref RegionHeader h) => h.InputCapacity = 1 << 30, "input capacity");
        AssertRejected((ref RegionHeader h) => h.InputCapacity = -8, "input capacity");
    }

    [Fact]
    public void FromHeaderRejectsAWrongInputRingOffset()
    {
        var withInput = new RegionLayout(256, 2, 48000, 4, liveInput: true);
        var h = default(RegionHeader);
        withInput.WriteIdentity(ref h, 0);
        Assert.Equal(withInput, RegionLayout.FromHeader(h, withInput.TotalSize));
        h.InputRingOffset -= 128;
        var e = Assert.Throws<RegionFormatException>(() => RegionLayout.FromHeader(h, withInput.TotalSize));
        Assert.Contains("input ring offset", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnInputRingIsTheMostBlocksOfTheHistoryBudgetAndComesLast()
    {
        var layout = new RegionLayout(64, 2, 48000, 4, liveInput: true);
        Assert.True(System.Numerics.BitOperations.IsPow2(layout.InputCapacity));
        Assert.True((long)layout.InputCapacity * layout.SlotStride <= Protocol.Limits.InputHistoryBytes);
        Assert.True(2L * layout.InputCapacity * layout.SlotStride > Protocol.Limits.InputHistoryBytes); // the most that fit
        Assert.Equal(layout.SnapshotOffset + layout.SnapshotCapacity, layout.InputRingOffset);
        Assert.Equal(layout.InputRingOffset + ((long)layout.InputCapacity * layout.SlotStride), layout.TotalSize);
        Assert.True(layout.InputCapacity * 64 / 48000.0 > 40, "stereo at 64 frames keeps 40 s of input");
        Assert.Equal(0, Layout.InputCapacity); // none unless asked for
        Assert.Equal(Layout.InputRingOffset, Layout.TotalSize);
        // The largest format still keeps two audio rings of input (a resync needs the input since its snapshot).
        Assert.True(new RegionLayout(RegionLayout.MaxBlockFrames, RegionLayout.MaxChannels, 48000, 4, liveInput: true).InputCapacity >= 8);
    }

    [Fact]
    public void FromHeaderRejectsAFileShorterThanTheLayout() =>
        AssertRejected((ref RegionHeader h) => { }, "file length", Layout.TotalSize - 1);

    [Fact]
    public void FromHeaderRejectsAnImpossibleFormatAsARegionFormatError()
    {
        AssertRejected((ref RegionHeader h) => h.RingCapacity = 3, "ring capacity");
        AssertRejected((ref RegionHeader h) => h.BlockFrames = -1, "block frames");
        AssertRejected((ref RegionHeader h) => h.Channels = int.MaxValue, "channels");
    }

    [Fact]
    public void OpenRejectsAFileTooShortForAHeader()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, new byte[RegionHeader.Size - 1]);
            var e = Assert.Throws<RegionFormatException>(() => SharedRegion.Open(path));
            Assert.Contains("too small", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void OpenRejectsARegionWhoseHeaderWasScribbled()
    {
        using var t = new TestRegion();
        t.PokeInt(TestRegion.HeaderOffset(nameof(RegionHeader.SlotStride)), 7);

        var e = Assert.Throws<RegionFormatException>(() => SharedRegion.Open(t.Region.Path));
        Assert.Contains("slot stride", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OpenAcceptsAFreshRegionAndSeesTheCreatorsLayout()
    {
        using var t = new TestRegion(frames: 100, channels: 3, capacity: 8);
        using SharedRegion opened = SharedRegion.Open(t.Region.Path);
        Assert.Equal(t.Layout, opened.Layout);
    }
}
