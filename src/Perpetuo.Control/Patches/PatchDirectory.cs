namespace Perpetuo.Control.Patches;

/// <summary>
/// The one directory whose patches `/perpetuo/patch/load` may load (play's <c>--patch-dir</c>). A request names a
/// file in it, never a path: any local user can send the control port a datagram, and the engine must not open
/// what they point it at (a FIFO, /dev/zero, another user's file, one of ours to echo back).
/// </summary>
/// <remarks>
/// A name is one plain path component ending in <c>.json</c>: no '/', no leading '.', no control characters. The
/// file must be a regular file, not a symbolic link (so it cannot lead out of the directory). Any thread.
/// </remarks>
public sealed class PatchDirectory
{
    /// <summary>Longest name accepted, in characters (a file name on Linux is at most 255 bytes).</summary>
    public const int MaxNameLength = 255;

    /// <summary>Uses <paramref name="path"/>, which must be an existing directory.</summary>
    /// <exception cref="PatchException">It is not a directory.</exception>
    public PatchDirectory(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0 || !Directory.Exists(path))
        {
            throw new PatchException($"--patch-dir \"{path}\" is not a directory");
        }
        Path = System.IO.Path.GetFullPath(path);
    }

    /// <summary>The directory, as an absolute path.</summary>
    public string Path { get; }

    /// <summary>Null if <paramref name="name"/> may name a patch in the directory, else why not (without touching the disk).</summary>
    public static string? CheckName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        bool plain = name.Length is > 5 and <= MaxNameLength && name[0] != '.'
            && name.EndsWith(".json", StringComparison.Ordinal) && !name.Any(c => c == '/' || c == '\\' || char.IsControl(c));
        return plain ? null : "a patch is named by its file name in the patch directory: one plain name ending in .json (no '/', not starting with '.')";
    }

    /// <summary>
    /// The full path of the patch called <paramref name="name"/>, or null with a reason that says nothing about any
    /// file's contents. Checks the name, and that the file is a regular file and not a link. Off the control thread:
    /// it touches the disk.
    /// </summary>
    public string? Resolve(string name, out string error)
    {
        error = CheckName(name) ?? "";
        if (error.Length > 0)
        {
            return null;
        }
        string full = System.IO.Path.Combine(Path, name);
        var info = new FileInfo(full);
        if (!info.Exists && !Directory.Exists(full))
        {
            error = $"no patch \"{name}\" in the patch directory";
            return null;
        }
        if (info.LinkTarget != null || (info.Attributes & (FileAttributes.Directory | FileAttributes.Device)) != 0)
        {
            error = $"\"{name}\" is not a regular file (links, directories and devices are not loaded)";
            return null;
        }
        return full;
    }
}
