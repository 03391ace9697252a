using System.Text;
using Microsoft.Win32.SafeHandles;
using Perpetuo.Control.Files;

namespace Perpetuo.Control.Patches;

/// <summary>
/// The one way patch files are read (by `play`, `render` and the OSC <c>/perpetuo/patch/load</c> request): a
/// regular file of at most <see cref="MaxPatchFileBytes"/>, UTF-8, read without blocking on a FIFO and without
/// reading more than the limit plus one byte. Any thread (nothing shared).
/// </summary>
/// <remarks>
/// The error text names the path and what is wrong, and never contains bytes of the file: a patch path can come
/// from the network, and a reply must not leak what some other file holds. Positions are given instead.
/// </remarks>
public static class PatchFileReader
{
    /// <summary>The largest patch file accepted: 1 MiB, far above any real patch, small enough to read at once.</summary>
    public const int MaxPatchFileBytes = Perpetuo.Protocol.Limits.PatchFileBytes;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Reads the patch file at <paramref name="path"/>. False with <paramref name="error"/> ("PATH: cannot read the
    /// patch file: REASON") when it is missing, not a regular file, too large, unreadable or not UTF-8.
    /// </summary>
    /// <param name="what">What the file is, for the error ("the patch file", "the MIDI map").</param>
    public static bool TryRead(string path, out string text, out string error, string what = "the patch file")
    {
        ArgumentNullException.ThrowIfNull(path);
        text = "";
        if (!RegularFile.TryOpen(path, out SafeFileHandle? handle, out long length, out string reason))
        {
            error = Fail(path, what, reason);
            return false;
        }
        using (handle)
        {
            if (length > MaxPatchFileBytes)
            {
                error = Fail(path, what, $"larger than the limit of {MaxPatchFileBytes} bytes");
                return false;
            }
            // Size + 1 (at most the limit + 1): a file that grew since the statx shows as over its size, not read on.
            var buffer = new byte[(int)length + 1];
            int total = 0;
            try
            {
                int n;
                while (total < buffer.Length && (n = RandomAccess.Read(handle!, buffer.AsSpan(total), total)) > 0)
                {
                    total += n;
                }
            }
            catch (IOException e)
            {
                error = Fail(path, what, e.Message);
                return false;
            }
            if (total > length)
            {
                error = Fail(path, what, "it changed while being read");
                return false;
            }
            return TryDecode(path, what, buffer.AsSpan(0, total), out text, out error);
        }
    }

    /// <summary>Reads and throws <see cref="PatchException"/> with the same message on failure.</summary>
    public static string Read(string path) =>
        TryRead(path, out string text, out string error) ? text : throw new PatchException(error);

    private static bool TryDecode(string path, string what, ReadOnlySpan<byte> bytes, out string text, out string error)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            bytes = bytes[3..]; // a UTF-8 byte order mark, as File.ReadAllText skips it
        }
        try
        {
            text = StrictUtf8.GetString(bytes);
            error = "";
            return true;
        }
        catch (DecoderFallbackException e)
        {
            text = "";
            error = Fail(path, what, $"not UTF-8 text (at byte {e.Index})");
            return false;
        }
    }

    private static string Fail(string path, string what, string reason) => $"{path}: cannot read {what}: {reason}";
}
