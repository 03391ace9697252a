using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Perpetuo.Control.Files;

/// <summary>
/// Opens a path for reading only if it is a regular file, without ever blocking: a FIFO, a device (/dev/zero), a
/// socket or a directory is refused with a reason instead of being read forever or waited on. Any thread.
/// </summary>
/// <remarks>
/// Design: the check is made on the open descriptor, not the path, so nothing can be swapped in between a check
/// and the open: <c>open(O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)</c> returns at once even for a FIFO with no
/// writer, then <c>statx</c> on that descriptor tells its type and size. O_NONBLOCK changes nothing for reading a
/// regular file. Error messages name the path and the reason, never anything read from the file.
/// </remarks>
public static class RegularFile
{
    /// <summary>
    /// Opens <paramref name="path"/>; on success <paramref name="handle"/> is the open file and
    /// <paramref name="length"/> its size. On failure <paramref name="error"/> says why in a few words (no path).
    /// </summary>
    public static bool TryOpen(string path, out SafeFileHandle? handle, out long length, out string error)
    {
        ArgumentNullException.ThrowIfNull(path);
        handle = null;
        length = 0;
        if (path.Length == 0)
        {
            error = "the path is empty";
            return false;
        }
        if (path.Contains('\0', StringComparison.Ordinal))
        {
            error = "the path contains a NUL character";
            return false;
        }
        int fd = FileNative.Open(Utf8z(path), FileNative.ORdOnly | FileNative.ONonBlock | FileNative.ONoCtty | FileNative.OCloExec);
        if (fd < 0)
        {
            error = Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError());
            return false;
        }
        var opened = new SafeFileHandle(fd, ownsHandle: true);
        var statx = new byte[FileNative.StatxBytes];
        if (FileNative.Statx(fd, [0], FileNative.AtEmptyPath, FileNative.StatxType | FileNative.StatxSize, statx) != 0)
        {
            error = Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError());
            opened.Dispose();
            return false;
        }
        int type = BinaryPrimitives.ReadUInt16LittleEndian(statx.AsSpan(FileNative.StatxModeOffset)) & FileNative.SIfMt;
        if (type != FileNative.SIfReg)
        {
            error = type == FileNative.SIfDir ? "it is a directory, not a file" : "not a regular file (a FIFO, device or socket)";
            opened.Dispose();
            return false;
        }
        handle = opened;
        length = (long)BinaryPrimitives.ReadUInt64LittleEndian(statx.AsSpan(FileNative.StatxSizeOffset));
        error = "";
        return true;
    }

    private static byte[] Utf8z(string s)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(s) + 1];
        Encoding.UTF8.GetBytes(s, bytes);
        return bytes;
    }
}
