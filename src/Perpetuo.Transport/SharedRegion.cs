using System.IO.MemoryMappedFiles;
using System.Runtime.CompilerServices;

namespace Perpetuo.Transport;

/// <summary>
/// One slot's shared memory: a file under the run directory (mode 0600), mapped read-write, with a
/// <see cref="RegionHeader"/> at offset 0, then the audio ring, the command ring and the snapshot area.
/// </summary>
/// <remarks>
/// Design: Linux has no named maps in .NET, so a region is a file in /dev/shm mapped with
/// <c>MemoryMappedFile.CreateFromFile</c>. The creator (supervisor) owns the file and deletes it on dispose; an
/// opener (worker) only maps it. The pointer is acquired once and kept for the region's life; everything that
/// reads or writes mapped memory goes through the ring types, never through a managed reference into the map.
/// </remarks>
public sealed unsafe class SharedRegion : IDisposable
{
    private readonly MemoryMappedFile _map;
    private readonly MemoryMappedViewAccessor _view;
    private readonly bool _owner;
    private readonly long _audioRingOffset;
    private readonly int _slotStride;
    private byte* _base;
    private int _producerEpoch;

    private SharedRegion(string path, MemoryMappedFile map, MemoryMappedViewAccessor view, RegionLayout layout, bool owner)
    {
        Path = path;
        _map = map;
        _view = view;
        Layout = layout;
        _owner = owner;
        _audioRingOffset = layout.AudioRingOffset;
        _slotStride = layout.SlotStride;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref _base);
        _base += _view.PointerOffset;
    }

    /// <summary>The file behind the region.</summary>
    public string Path { get; }

    /// <summary>The layout this side trusts (the creator's own, or the opener's checked copy).</summary>
    public RegionLayout Layout { get; }

    /// <summary>Start of the mapping. Valid until dispose.</summary>
    internal byte* Base => _base;

    /// <summary>The mapped header. Fields are read and written through <see cref="Volatile"/> by the ring types.</summary>
    internal ref RegionHeader Header => ref Unsafe.AsRef<RegionHeader>(_base);

    /// <summary>Creates (or truncates and re-creates) a region file with mode 0600 and writes its identity line.</summary>
    public static SharedRegion Create(string path, RegionLayout layout, int slotIndex)
    {
        ArgumentNullException.ThrowIfNull(layout);
        File.Delete(path);
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            Share = FileShare.ReadWrite | FileShare.Delete,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        };
        var stream = new FileStream(path, options);
        stream.SetLength(layout.TotalSize);
        var map = MemoryMappedFile.CreateFromFile(stream, null, layout.TotalSize, MemoryMappedFileAccess.ReadWrite,
                                                  HandleInheritability.None, leaveOpen: false);
        var view = map.CreateViewAccessor(0, layout.TotalSize, MemoryMappedFileAccess.ReadWrite);
        var region = new SharedRegion(path, map, view, layout, owner: true);
        layout.WriteIdentity(ref region.Header, slotIndex);
        region.Header.SupervisorPid = Environment.ProcessId;
        return region;
    }

    /// <summary>Maps an existing region and checks its header; throws <see cref="RegionFormatException"/> if it is not one this build can use.</summary>
    public static SharedRegion Open(string path)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        long length = stream.Length;
        if (length < RegionHeader.Size)
        {
            stream.Dispose();
            throw new RegionFormatException($"{path} is {length} bytes: too small for a region header");
        }
        var map = MemoryMappedFile.CreateFromFile(stream, null, 0, MemoryMappedFileAccess.ReadWrite,
                                                  HandleInheritability.None, leaveOpen: false);
        var view = map.CreateViewAccessor(0, length, MemoryMappedFileAccess.ReadWrite);
        byte* p = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref p);
        RegionLayout layout;
        try
        {
            RegionHeader copy = Unsafe.ReadUnaligned<RegionHeader>(p + view.PointerOffset);
            layout = RegionLayout.FromHeader(copy, length);
        }
        catch
        {
            view.SafeMemoryMappedViewHandle.ReleasePointer();
            view.Dispose();
            map.Dispose();
            throw;
        }
        view.SafeMemoryMappedViewHandle.ReleasePointer();
        return new SharedRegion(path, map, view, layout, owner: false);
    }

    /// <summary>
    /// Counts the producers this process has attached to the region (<see cref="SupervisorLink.ResetForNewWorker"/>).
    /// Kept in this process's own memory, not in the map, so a worker cannot forge it; the ring reader drops what
    /// it knew about the previous producer when it changes.
    /// </summary>
    internal int ProducerEpoch => Volatile.Read(ref _producerEpoch);

    /// <summary>Starts a new producer epoch. Control thread, before the region is reset for a new worker.</summary>
    internal void BeginProducerEpoch() =>
        // Release (and Volatile.Read on the other side): a reader that sees the slot readable again sees the bump.
        Volatile.Write(ref _producerEpoch, _producerEpoch + 1);

    /// <summary>Pointer to the start of audio ring slot <paramref name="index"/> (0..capacity-1).</summary>
    internal byte* AudioSlot(int index) => _base + _audioRingOffset + ((long)index * _slotStride);

    /// <summary>Pointer to command ring record <paramref name="index"/> (0..capacity-1).</summary>
    internal byte* CommandSlot(int index) => _base + Layout.CommandRingOffset + ((long)index * CommandRecord.Size);

    /// <summary>The snapshot area.</summary>
    internal Span<byte> SnapshotArea => new(_base + Layout.SnapshotOffset, checked((int)Layout.SnapshotCapacity));

    public void Dispose()
    {
        if (_base == null)
        {
            return;
        }
        _base = null;
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _map.Dispose();
        if (_owner)
        {
            File.Delete(Path);
        }
    }
}
