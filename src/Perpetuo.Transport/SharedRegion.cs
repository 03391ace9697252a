using System.Globalization;
using System.IO.MemoryMappedFiles;
using System.Runtime.CompilerServices;

namespace Perpetuo.Transport;

/// <summary>
/// One slot's shared memory: an anonymous, committed, size-sealed <see cref="MemoryFile"/> mapped read-write, with a
/// <see cref="RegionHeader"/> at offset 0, then the audio ring, the command ring and the snapshot area.
/// </summary>
/// <remarks>
/// Design: the creator (supervisor) makes the region as a memfd (see <see cref="MemoryFile"/> for why: no file
/// in /dev/shm to fill, truncate or delete, so no SIGBUS and no run directory) and maps it with
/// <c>MemoryMappedFile.CreateFromFile</c>; an opener (worker) maps it through its path, /proc/SUPERVISOR/fd/N.
/// The pointer is acquired once and kept for the region's life; everything that reads or writes mapped memory
/// goes through the ring types, never through a managed reference into the map. Dispose never throws: the
/// creator only closes its fd, the kernel frees the pages when the last mapping goes.
/// </remarks>
public sealed unsafe class SharedRegion : IDisposable
{
    private readonly MemoryMappedFile _map;
    private readonly MemoryMappedViewAccessor _view;
    private readonly MemoryFile? _file;
    private readonly int _slotIndex;
    private readonly long _audioRingOffset;
    private readonly int _slotStride;
    private byte* _base;
    private int _producerEpoch;

    private SharedRegion(string path, MemoryMappedFile map, MemoryMappedViewAccessor view, RegionLayout layout,
                         MemoryFile? file, int slotIndex)
    {
        Path = path;
        _map = map;
        _view = view;
        Layout = layout;
        _file = file;
        _slotIndex = slotIndex;
        _audioRingOffset = layout.AudioRingOffset;
        _slotStride = layout.SlotStride;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref _base);
        _base += _view.PointerOffset;
    }

    /// <summary>Where another process opens the region: /proc/PID/fd/N of the creator.</summary>
    public string Path { get; }

    /// <summary>The layout this side trusts (the creator's own, or the opener's checked copy).</summary>
    public RegionLayout Layout { get; }

    /// <summary>Start of the mapping. Valid until dispose.</summary>
    internal byte* Base => _base;

    /// <summary>The mapped header. Fields are read and written through <see cref="Volatile"/> by the ring types.</summary>
    internal ref RegionHeader Header => ref Unsafe.AsRef<RegionHeader>(_base);

    /// <summary>
    /// Creates slot <paramref name="slotIndex"/>'s region, all of its memory committed now, and writes its identity
    /// line. Throws <see cref="SharedMemoryException"/> (naming the size) if the memory is not there.
    /// </summary>
    public static SharedRegion Create(RegionLayout layout, int slotIndex)
    {
        ArgumentNullException.ThrowIfNull(layout);
        MemoryFile file = MemoryFile.Create(string.Create(CultureInfo.InvariantCulture, $"the region of slot {slotIndex}"), layout.TotalSize);
        MemoryMappedFile? map = null;
        try
        {
            map = MemoryMappedFile.CreateFromFile(file.Handle, null, layout.TotalSize, MemoryMappedFileAccess.ReadWrite,
                                                  HandleInheritability.None, leaveOpen: true);
            var view = map.CreateViewAccessor(0, layout.TotalSize, MemoryMappedFileAccess.ReadWrite);
            var region = new SharedRegion(file.Path, map, view, layout, file, slotIndex);
            region.WriteIdentity();
            // Zeroed memory would read as block 0 stamped in every input slot: no slot holds a block yet.
            StampedSlot.Clear(region._base + layout.InputRingOffset, layout.InputCapacity, layout.SlotStride);
            return region;
        }
        catch
        {
            map?.Dispose();
            file.Dispose();
            throw;
        }
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
        return new SharedRegion(path, map, view, layout, file: null, slotIndex: -1);
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

    /// <summary>
    /// Writes line 0 (identity) from this process's own trusted <see cref="Layout"/>, and the supervisor's pid.
    /// Creator only: at creation, and again before every new worker (<see cref="SupervisorLink.ResetForNewWorker"/>),
    /// so an identity a dead worker scribbled on does not make every later worker reject the region.
    /// </summary>
    internal void WriteIdentity()
    {
        if (_file == null)
        {
            throw new InvalidOperationException("only the region's creator writes its identity");
        }
        // Plain stores: no worker is attached; the one spawned next starts after them (fork and exec order them).
        Layout.WriteIdentity(ref Header, _slotIndex);
        Header.SupervisorPid = Environment.ProcessId;
    }

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
        _file?.Dispose();
    }
}
