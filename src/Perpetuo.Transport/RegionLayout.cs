using System.Numerics;

namespace Perpetuo.Transport;

/// <summary>
/// Where everything lives in a slot region, computed from the stream format. The supervisor keeps this copy and
/// never trusts the one in the mapped header; the worker checks the mapped header against the file on open.
/// </summary>
public sealed record RegionLayout
{
    /// <summary>"PERPETUO" as a little-endian ulong.</summary>
    public const ulong Magic = 0x4F55544550524550UL;

    /// <summary>Bumped whenever <see cref="RegionHeader"/>, <see cref="AudioSlotHeader"/> or <see cref="CommandRecord"/> change.</summary>
    public const int CurrentVersion = 6; // 2: block hash merged as XXH3 merges its lanes; 3: ClippedBlocks; 4: position, quarantine reports; 5: doorbell, render lead; 6: input ring

    /// <summary>Largest block accepted (frames).</summary>
    public const int MaxBlockFrames = 8192;

    /// <summary>Largest channel count accepted.</summary>
    public const int MaxChannels = 64;

    public int BlockFrames { get; }
    public int Channels { get; }
    public int SampleRate { get; }
    public int RingCapacity { get; }
    public int CommandCapacity { get; }
    public int SlotStride { get; }
    public long AudioRingOffset { get; }
    public long CommandRingOffset { get; }
    public long SnapshotOffset { get; }
    public long SnapshotCapacity { get; }
    public long TotalSize { get; }

    /// <summary>Blocks of live input the region keeps (a power of two), or 0 when the engine has no live input.</summary>
    public int InputCapacity { get; }

    /// <summary>Where the input ring starts (after the snapshot area); its slots have <see cref="SlotStride"/>.</summary>
    public long InputRingOffset { get; }

    /// <summary>True when the region carries live input.</summary>
    public bool HasInput => InputCapacity > 0;

    /// <summary>Samples in one interleaved block.</summary>
    public int BlockSamples => BlockFrames * Channels;

    public RegionLayout(int blockFrames, int channels, int sampleRate, int ringCapacity,
                        int commandCapacity = Perpetuo.Protocol.Limits.CommandRingRecords,
                        long snapshotCapacity = Perpetuo.Protocol.Limits.SnapshotBytes, bool liveInput = false,
                        int inputHistoryBlocks = 0)
        : this(blockFrames, channels, sampleRate, ringCapacity, commandCapacity, snapshotCapacity,
               !liveInput ? 0 : inputHistoryBlocks > 0 ? inputHistoryBlocks : InputCapacityFor(blockFrames, channels))
    {
    }

    private RegionLayout(int blockFrames, int channels, int sampleRate, int ringCapacity, int commandCapacity,
                         long snapshotCapacity, int inputCapacity)
    {
        Require(blockFrames is > 0 and <= MaxBlockFrames, $"block frames must be 1..{MaxBlockFrames}, got {blockFrames}");
        Require(channels is > 0 and <= MaxChannels, $"channels must be 1..{MaxChannels}, got {channels}");
        Require(sampleRate is >= 8000 and <= 768000, $"sample rate must be 8000..768000, got {sampleRate}");
        Require(ringCapacity is >= 2 and <= 1024 && BitOperations.IsPow2(ringCapacity),
                $"ring capacity must be a power of two in 2..1024, got {ringCapacity}");
        Require(commandCapacity is >= 2 and <= 1 << 16 && BitOperations.IsPow2(commandCapacity),
                $"command ring capacity must be a power of two in 2..65536, got {commandCapacity}");
        Require(snapshotCapacity is >= 4096 and <= 1L << 30, $"snapshot capacity must be 4 KiB..1 GiB, got {snapshotCapacity}");
        BlockFrames = blockFrames;
        Channels = channels;
        SampleRate = sampleRate;
        RingCapacity = ringCapacity;
        CommandCapacity = commandCapacity;
        SlotStride = AlignUp(AudioSlotHeader.Size + (blockFrames * channels * sizeof(float)), RegionHeader.LineSize);
        AudioRingOffset = RegionHeader.Size;
        CommandRingOffset = AudioRingOffset + ((long)SlotStride * ringCapacity);
        SnapshotOffset = CommandRingOffset + ((long)CommandRecord.Size * commandCapacity);
        SnapshotCapacity = AlignUp(snapshotCapacity, 4096);
        Require(inputCapacity == 0 || (BitOperations.IsPow2(inputCapacity) && inputCapacity >= MinInputBlocks(ringCapacity)
                                       && (long)inputCapacity * SlotStride <= Perpetuo.Protocol.Limits.InputHistoryBytes),
                $"input capacity must be 0 or a power of two of at least {MinInputBlocks(ringCapacity)} blocks within " +
                $"{Perpetuo.Protocol.Limits.InputHistoryBytes} bytes, got {inputCapacity}");
        InputCapacity = inputCapacity;
        InputRingOffset = SnapshotOffset + SnapshotCapacity;
        TotalSize = InputRingOffset + ((long)SlotStride * inputCapacity);
    }

    /// <summary>
    /// The input ring of a format: the most blocks (a power of two) of <see cref="Perpetuo.Protocol.Limits.InputHistoryBytes"/>.
    /// </summary>
    public static int InputCapacityFor(int blockFrames, int channels)
    {
        Require(blockFrames is > 0 and <= MaxBlockFrames && channels is > 0 and <= MaxChannels, "input format out of range");
        long stride = AlignUp(AudioSlotHeader.Size + (blockFrames * channels * sizeof(float)), RegionHeader.LineSize);
        long blocks = Perpetuo.Protocol.Limits.InputHistoryBytes / stride;
        return (int)Math.Min(1 << 30, BitOperations.RoundUpToPowerOf2((ulong)blocks + 1) / 2);
    }

    /// <summary>Fewest input blocks a ring may keep: a resync must find the input since its snapshot.</summary>
    private static int MinInputBlocks(int ringCapacity) => 2 * ringCapacity;

    /// <summary>
    /// Rebuilds the layout from a mapped header and checks it against the file; any mismatch is a
    /// <see cref="RegionFormatException"/> naming the field.
    /// </summary>
    public static RegionLayout FromHeader(in RegionHeader header, long fileLength)
    {
        if (header.Magic != Magic)
        {
            throw new RegionFormatException($"bad magic 0x{header.Magic:X16}: not a Perpetuo region");
        }
        if (header.Version != CurrentVersion)
        {
            throw new RegionFormatException($"region version {header.Version}, this build speaks {CurrentVersion}");
        }
        RegionLayout layout;
        try
        {
            layout = new RegionLayout(header.BlockFrames, header.Channels, header.SampleRate, header.RingCapacity,
                                      header.CommandCapacity, header.SnapshotCapacity, header.InputCapacity);
        }
        catch (ArgumentException e)
        {
            throw new RegionFormatException("region header: " + e.Message);
        }
        Check(header.HeaderSize == RegionHeader.Size, "header size", header.HeaderSize, RegionHeader.Size);
        Check(header.SlotStride == layout.SlotStride, "slot stride", header.SlotStride, layout.SlotStride);
        Check(header.CommandRecordSize == CommandRecord.Size, "command record size", header.CommandRecordSize, CommandRecord.Size);
        Check(header.AudioRingOffset == layout.AudioRingOffset, "audio ring offset", header.AudioRingOffset, layout.AudioRingOffset);
        Check(header.CommandRingOffset == layout.CommandRingOffset, "command ring offset", header.CommandRingOffset, layout.CommandRingOffset);
        Check(header.SnapshotOffset == layout.SnapshotOffset, "snapshot offset", header.SnapshotOffset, layout.SnapshotOffset);
        Check(header.InputRingOffset == layout.InputRingOffset, "input ring offset", header.InputRingOffset, layout.InputRingOffset);
        Check(header.TotalSize == layout.TotalSize, "total size", header.TotalSize, layout.TotalSize);
        Check(fileLength >= layout.TotalSize, "file length", fileLength, layout.TotalSize);
        return layout;
    }

    /// <summary>Writes line 0 (identity) of a header: at creation, and to repair it before each new worker.</summary>
    public void WriteIdentity(ref RegionHeader header, int slotIndex)
    {
        header.Magic = Magic;
        header.Version = CurrentVersion;
        header.HeaderSize = RegionHeader.Size;
        header.BlockFrames = BlockFrames;
        header.Channels = Channels;
        header.SampleRate = SampleRate;
        header.RingCapacity = RingCapacity;
        header.SlotStride = SlotStride;
        header.CommandCapacity = CommandCapacity;
        header.CommandRecordSize = CommandRecord.Size;
        header.AudioRingOffset = AudioRingOffset;
        header.CommandRingOffset = CommandRingOffset;
        header.SnapshotOffset = SnapshotOffset;
        header.SnapshotCapacity = SnapshotCapacity;
        header.TotalSize = TotalSize;
        header.InputCapacity = InputCapacity;
        header.InputRingOffset = InputRingOffset;
        header.SlotIndex = slotIndex;
        header.SnapshotSeq = -1;
    }

    private static int AlignUp(int value, int alignment) => (value + alignment - 1) / alignment * alignment;

    private static long AlignUp(long value, long alignment) => (value + alignment - 1) / alignment * alignment;

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message);
        }
    }

    private static void Check(bool ok, string field, long found, long expected)
    {
        if (!ok)
        {
            throw new RegionFormatException($"region header {field} is {found}, expected {expected}");
        }
    }
}
