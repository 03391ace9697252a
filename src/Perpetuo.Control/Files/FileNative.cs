using System.Runtime.InteropServices;

namespace Perpetuo.Control.Files;

/// <summary>
/// The two libc calls <see cref="RegularFile"/> needs that .NET does not offer: <c>open</c> with O_NONBLOCK (so
/// opening a FIFO cannot wait for a writer) and <c>statx</c> on the open descriptor (its file type and size).
/// </summary>
/// <remarks>
/// No <c>unsafe</c> in this project: paths go as NUL-terminated UTF-8 byte arrays and the statx result into a
/// byte array, both blittable. struct statx has one layout on every Linux architecture (unlike struct stat), so
/// the two offsets below hold on x86-64 and arm64 alike (linux/stat.h).
/// </remarks>
internal static class FileNative
{
    internal const int ORdOnly = 0;
    internal const int ONoCtty = 0x100;       // 0400: a terminal path does not become our controlling terminal
    internal const int ONonBlock = 0x800;     // 04000
    internal const int OCloExec = 0x80000;    // 02000000: not inherited by the workers we spawn
    internal const int AtEmptyPath = 0x1000;
    internal const uint StatxType = 0x1;
    internal const uint StatxSize = 0x200;
    internal const int StatxBytes = 256;
    internal const int StatxModeOffset = 0x1C; // __u16 stx_mode
    internal const int StatxSizeOffset = 0x28; // __u64 stx_size
    internal const int SIfMt = 0xF000;
    internal const int SIfReg = 0x8000;
    internal const int SIfDir = 0x4000;

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    internal static extern int Open(byte[] path, int flags);

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    internal static extern int Statx(int dirFd, byte[] path, int flags, uint mask, byte[] statx);
}
