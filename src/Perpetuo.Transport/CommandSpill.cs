using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Perpetuo.Transport;

/// <summary>
/// The older part of the audio process's command log, on disk: command records at their absolute index in a file
/// that has no name, mapped into memory. A plugin session keeps every command since its first plugin (a rebuilt
/// worker replays them all: no snapshot can be taken of a plugin), so for hours of knob moves and notes the log
/// would grow without bound in the managed heap — and every doubling of its array is garbage to collect.
/// </summary>
/// <remarks>
/// Design, and why hand-written (System.IO.MemoryMappedFiles has no O_TMPFILE, fallocate, hole punching or
/// madvise, which are the four things this needs):
/// <list type="bullet">
/// <item>No name: <c>open(O_TMPFILE)</c> in the temporary directory. Nothing to tidy after a SIGKILL (the kernel
/// frees the blocks with the last descriptor), and no path anyone could plant a link at or read.</item>
/// <item>Sparse and mapped once: the file is <see cref="Capacity"/> records long but holds blocks only where
/// records were written; the mapping never moves, so a reference to a record stays valid and nothing is remapped
/// (or allocated) while the engine plays.</item>
/// <item>Never a SIGBUS: a page of a shared file mapping first written when the disk is full is a SIGBUS in the
/// audio process. So blocks are reserved with <c>fallocate</c> <see cref="ReserveRecords"/> at a time, before a
/// record is written there; a reservation the disk refuses is a false from <see cref="TryWrite"/> (the caller keeps
/// the records in memory and says so), never a signal.</item>
/// <item>Bounded memory: written pages are dropped from the process (<c>madvise(MADV_DONTNEED)</c>, which for a
/// shared file mapping keeps them in the file and the page cache) once they are behind the newest
/// <see cref="ResidentRecords"/>; a replay reading them again takes them back from the page cache. Records the log
/// no longer needs (<see cref="Forget"/>) have their blocks freed (<c>FALLOC_FL_PUNCH_HOLE</c>).</item>
/// </list>
/// A read of a page evicted from the page cache waits for the disk on the control thread: only a worker replaying
/// minutes-old commands reads there, sequentially (readahead), while the others play. Control thread only.
/// </remarks>
public sealed unsafe partial class CommandSpill : IDisposable
{
    /// <summary>Records reserved on disk at a time (8 MiB).</summary>
    public const int ReserveRecords = 65536;

    /// <summary>Newest written records kept mapped in the process (1 MiB); older pages are dropped from it.</summary>
    public const int ResidentRecords = 8192;

    private readonly int _fd;
    private readonly byte* _base;
    private readonly long _bytes;
    private long _reserved; // records below this have their blocks (from where the writes began)
    private long _resident; // pages below this record are dropped from the process
    private long _forgotten; // blocks below this record are freed

    private CommandSpill(int fd, byte* mapping, long capacity)
    {
        _fd = fd;
        _base = mapping;
        Capacity = capacity;
        _bytes = capacity * CommandRecord.Size;
    }

    /// <summary>Most records it can hold (absolute indices 0 ..
    /// <see cref="Capacity"/> - 1).</summary>
    public long Capacity { get; }

    /// <summary>The absolute index one past the newest record written.</summary>
    public long Written { get; private set; }

    /// <summary>Why the last <see cref="TryWrite"/> failed ("" if none did).</summary>
    public string Problem { get; private set; } = "";

    /// <summary>
    /// A spill of <paramref name="capacity"/> records in a nameless file of <paramref name="directory"/>, or null with
    /// <paramref name="why"/> (the file system has no O_TMPFILE, the directory is not writable, no address space).
    /// </summary>
    public static CommandSpill? TryCreate(string directory, long capacity, out string why)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        int flags = O_RDWR | O_CLOEXEC | (RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? O_TMPFILE_ARM64 : O_TMPFILE_X64);
        int fd = open(directory, flags, 0x180 /* 0600 */);
        if (fd < 0)
        {
            why = $"no nameless file can be made in {directory} (open O_TMPFILE: errno {Marshal.GetLastPInvokeError()})";
            return null;
        }
        long bytes = capacity * CommandRecord.Size;
        if (ftruncate(fd, bytes) != 0)
        {
            why = $"the command spill cannot be sized to {bytes} bytes in {directory} (errno {Marshal.GetLastPInvokeError()})";
            close(fd);
            return null;
        }
        void* mapping = mmap(null, (nuint)bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_NORESERVE, fd, 0);
        if (mapping == MAP_FAILED)
        {
            why = $"the command spill of {bytes} bytes cannot be mapped (errno {Marshal.GetLastPInvokeError()})";
            close(fd);
            return null;
        }
        why = "";
        return new CommandSpill(fd, (byte*)mapping, capacity);
    }

    /// <summary>The record at absolute index <paramref name="index"/>, from <see cref="Forgotten"/> to <see cref="Written"/> - 1.</summary>
    public ref readonly CommandRecord this[long index]
    {
        get
        {
            if (index < _forgotten || index >= Written)
            {
                throw new ArgumentOutOfRangeException(nameof(index), index, $"the spill holds {_forgotten}..{Written - 1}");
            }
            return ref Unsafe.AsRef<CommandRecord>(_base + (index * CommandRecord.Size));
        }
    }

    /// <summary>The oldest index whose record is still kept (below it, <see cref="Forget"/> freed them).</summary>
    public long Forgotten => _forgotten;

    /// <summary>
    /// Writes <paramref name="records"/> at absolute index <paramref name="at"/> (not below <see cref="Written"/>:
    /// what lies between was never needed), reserving its blocks first. False, nothing written and
    /// <see cref="Problem"/> saying why, when the spill is full or the disk refuses the reservation.
    /// </summary>
    public bool TryWrite(long at, ReadOnlySpan<CommandRecord> records)
    {
        if (at < Written)
        {
            throw new ArgumentOutOfRangeException(nameof(at), at, $"records are written in order: the next goes at {Written} or later");
        }
        long end = at + records.Length;
        if (end > Capacity)
        {
            Problem = $"the command spill is full ({Capacity} records)";
            return false;
        }
        if (end > _reserved && !TryReserve(Math.Max(at, _reserved), end))
        {
            return false;
        }
        records.CopyTo(new Span<CommandRecord>(_base + (at * CommandRecord.Size), records.Length));
        Written = end;
        DropResidentBefore(end - ResidentRecords);
        return true;
    }

    /// <summary>Frees the blocks of every whole reservation below <paramref name="index"/>: those records are no longer needed.</summary>
    public void Forget(long index)
    {
        long upTo = Math.Min(index, Written) / ReserveRecords * ReserveRecords;
        if (upTo <= _forgotten)
        {
            return;
        }
        DropResidentBefore(upTo);
        // KEEP_SIZE | PUNCH_HOLE: the range reads as zeros again and its blocks go back to the file system. A file
        // system that cannot punch keeps them: only disk space, never correctness.
        fallocate(_fd, FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE, _forgotten * CommandRecord.Size, (upTo - _forgotten) * CommandRecord.Size);
        _forgotten = upTo;
    }

    private bool TryReserve(long from, long end)
    {
        long start = from / ReserveRecords * ReserveRecords;
        long stop = (end + ReserveRecords - 1) / ReserveRecords * ReserveRecords;
        stop = Math.Min(stop, Capacity);
        if (fallocate(_fd, 0, start * CommandRecord.Size, (stop - start) * CommandRecord.Size) != 0)
        {
            Problem = $"the disk refused {(stop - start) * CommandRecord.Size} bytes for the command spill (errno {Marshal.GetLastPInvokeError()})";
            return false;
        }
        _reserved = stop;
        return true;
    }

    /// <summary>Drops the pages of records below <paramref name="index"/> from the process (they stay in the file).</summary>
    private void DropResidentBefore(long index)
    {
        long page = Environment.SystemPageSize;
        long upTo = index * CommandRecord.Size / page * page;
        long from = _resident * CommandRecord.Size / page * page;
        if (upTo > from)
        {
            madvise(_base + from, (nuint)(upTo - from), MADV_DONTNEED);
            _resident = upTo / CommandRecord.Size;
        }
    }

    public void Dispose()
    {
        munmap(_base, (nuint)_bytes);
        close(_fd);
    }

    private const int O_RDWR = 2;
    private const int O_CLOEXEC = 0x80000;
    private const int O_TMPFILE_X64 = 0x410000;   // __O_TMPFILE | O_DIRECTORY (020200000)
    private const int O_TMPFILE_ARM64 = 0x404000; // __O_TMPFILE | O_DIRECTORY (020040000)
    private const int PROT_READ = 1;
    private const int PROT_WRITE = 2;
    private const int MAP_SHARED = 1;
    private const int MAP_NORESERVE = 0x4000;
    private const int MADV_DONTNEED = 4;
    private const int FALLOC_FL_KEEP_SIZE = 1;
    private const int FALLOC_FL_PUNCH_HOLE = 2;
    private static readonly void* MAP_FAILED = (void*)-1;

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags, int mode);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int close(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int ftruncate(int fd, long length);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fallocate(int fd, int mode, long offset, long length);

    [LibraryImport("libc", SetLastError = true)]
    private static partial void* mmap(void* address, nuint length, int protection, int flags, int fd, long offset);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int munmap(void* address, nuint length);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int madvise(void* address, nuint length, int advice);
}
