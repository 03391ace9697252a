using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Perpetuo.Transport;

/// <summary>
/// An anonymous in-memory file (memfd) of fixed size: its memory committed when it is made, its size sealed. Other
/// processes of the same user open it by <see cref="Path"/>, <c>/proc/PID/fd/N</c> of the creating process.
/// </summary>
/// <remarks>
/// Design: the audio process must survive its shared-memory environment, so the memory it maps has no name
/// anyone else can reach, no page left to allocate later and no size anyone can change:
/// <list type="bullet">
/// <item>No name. A memfd is in no directory: there is nothing in /dev/shm to fill, delete, pre-create as another
/// user or replace by a symlink, and nothing to clean up after a SIGKILL (the kernel frees it with the last fd and
/// mapping). So there is no run directory at all.</item>
/// <item>Committed. <c>ftruncate</c> alone makes a sparse file: a page first touched later, when the tmpfs or the
/// memory cgroup is full, is a SIGBUS in whichever process touches it (the audio callback). <c>fallocate</c>
/// allocates every page now, so a lack of memory is a <see cref="SharedMemoryException"/> at start, naming the size.</item>
/// <item>Sealed. F_SEAL_SHRINK and F_SEAL_GROW: nobody, not even a same-user process through /proc/PID/fd, can
/// truncate it under a mapping (the other SIGBUS); F_SEAL_SEAL: nobody can lift them. Read-only files
/// (<see cref="CreateReadOnly"/>) also get F_SEAL_WRITE: their bytes can never change.</item>
/// <item>MFD_CLOEXEC. A worker inherits no region: it opens only the path it is given, a new open of the same
/// pages. Opening /proc/PID/fd/N needs ptrace-read access to the creator: the same user, and a creator that is
/// dumpable (a binary given file capabilities is not; give CAP_SYS_NICE by rtprio limits or run as root instead).</item>
/// </list>
/// The creator keeps the fd for its whole life (a worker respawned much later opens the same path). Control
/// threads only.
/// </remarks>
public sealed class MemoryFile : IDisposable
{
    private MemoryFile(SafeFileHandle handle, int fd, long length)
    {
        Handle = handle;
        Length = length;
        Path = string.Create(CultureInfo.InvariantCulture, $"/proc/{Environment.ProcessId}/fd/{fd}");
    }

    /// <summary>The fd, owned by this object.</summary>
    public SafeFileHandle Handle { get; }

    /// <summary>Size in bytes (sealed: it never changes).</summary>
    public long Length { get; }

    /// <summary>Where another process of this user opens it: /proc/PID/fd/N (valid while this object lives).</summary>
    public string Path { get; }

    /// <summary>
    /// A zero-filled, writable memory file of <paramref name="size"/> bytes, committed and size-sealed.
    /// <paramref name="what"/> names it in errors ("the region of slot 0").
    /// </summary>
    public static MemoryFile Create(string what, long size)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        return Make(what, size, [], LibC.F_SEAL_SHRINK | LibC.F_SEAL_GROW | LibC.F_SEAL_SEAL);
    }

    /// <summary>A memory file holding <paramref name="content"/>, committed and sealed against any change.</summary>
    public static MemoryFile CreateReadOnly(string what, ReadOnlySpan<byte> content) =>
        Make(what, content.Length, content, LibC.F_SEAL_SHRINK | LibC.F_SEAL_GROW | LibC.F_SEAL_WRITE | LibC.F_SEAL_SEAL);

    public void Dispose() => Handle.Dispose();

    private static MemoryFile Make(string what, long size, ReadOnlySpan<byte> content, int seals)
    {
        int fd = LibC.MemfdCreate("perpetuo", LibC.MFD_CLOEXEC | LibC.MFD_ALLOW_SEALING);
        if (fd < 0)
        {
            throw new SharedMemoryException($"cannot create shared memory for {what}: {LastError()}");
        }
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            // ftruncate sets the size (it can fail already: a file size limit); fallocate then commits every page.
            if (LibC.Ftruncate(fd, size) != 0 || (size > 0 && LibC.Fallocate(fd, 0, size) != 0))
            {
                throw new SharedMemoryException(
                    $"cannot reserve {Describe(size)} of shared memory for {what}: {LastError()} " +
                    "(it is all committed at start: free memory, or raise the container's memory limit or the file size limit)");
            }
            if (!content.IsEmpty)
            {
                RandomAccess.Write(handle, content, 0);
            }
            // Last: F_SEAL_GROW would refuse the ftruncate above, F_SEAL_WRITE the write.
            if (LibC.AddSeals(fd, seals) != 0)
            {
                throw new SharedMemoryException($"cannot seal the shared memory for {what}: {LastError()}");
            }
        }
        catch
        {
            handle.Dispose();
            throw;
        }
        return new MemoryFile(handle, fd, size);
    }

    /// <summary>"1234567 bytes (1.2 MiB)".</summary>
    internal static string Describe(long size) =>
        string.Create(CultureInfo.InvariantCulture, $"{size} bytes ({size / (1024.0 * 1024.0):0.0} MiB)");

    private static string LastError()
    {
        int errno = Marshal.GetLastPInvokeError();
        return string.Create(CultureInfo.InvariantCulture, $"{Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
    }
}
