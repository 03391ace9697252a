using Perpetuo.Control.Patches;

namespace Perpetuo.Web;

// Design: the page names a patch by its file name in the one directory given (--patch-dir), checked as the engine
// checks /perpetuo/patch/load names (PatchDirectory.CheckName: one plain name ending in .json, no '/', not hidden).
// Saving never follows or replaces what is not a regular file of ours: a new name is created with O_CREAT|O_EXCL
// (FileMode.CreateNew: an existing file, link or directory of that name makes it fail, so nothing is overwritten
// and no link is followed); replacing one, asked explicitly, writes a new file beside it and renames it over the
// old one (rename(2) replaces the directory entry itself and never follows a link there), after refusing a name
// that is a link, a directory or a device. What a reply says is the name and a count, never a file's content.

/// <summary>The patch directory as the page sees it: the names in it, and saving the running graph into it.</summary>
/// <remarks>Any thread (each call touches the disk on its own).</remarks>
public sealed class PatchStore(PatchDirectory directory, int maxListed)
{
    /// <summary>The directory (absolute).</summary>
    public string Path => directory.Path;

    /// <summary>The patch names a page may load: regular .json files, not links, sorted; at most <c>maxListed</c>.</summary>
    public IReadOnlyList<string> List()
    {
        try
        {
            return [.. new DirectoryInfo(directory.Path).EnumerateFiles("*.json")
                .Where(f => PatchDirectory.CheckName(f.Name) == null && f.LinkTarget == null
                            && (f.Attributes & (FileAttributes.Directory | FileAttributes.Device)) == 0)
                .Select(f => f.Name)
                .Order(StringComparer.Ordinal)
                .Take(maxListed)];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>
    /// Writes <paramref name="json"/> (a patch: checked to be one, and at most a patch file's size) as
    /// <paramref name="name"/>; false with a sentence when it was not written.
    /// </summary>
    public bool TrySave(string name, string json, bool overwrite, out string message)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(json);
        if (PatchDirectory.CheckName(name) is { } problem)
        {
            message = problem;
            return false;
        }
        if (System.Text.Encoding.UTF8.GetByteCount(json) > PatchFileReader.MaxPatchFileBytes)
        {
            message = $"the session is larger than a patch file may be ({PatchFileReader.MaxPatchFileBytes} bytes)";
            return false;
        }
        int modules;
        try
        {
            modules = PatchFile.Parse(json).Modules.Count;
        }
        catch (PatchException)
        {
            message = "the engine's answer is not a patch; nothing saved";
            return false;
        }
        string path = System.IO.Path.Combine(directory.Path, name);
        try
        {
            if (!overwrite)
            {
                using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
                Write(file, json);
            }
            else if (!TryReplace(path, name, json, out message))
            {
                return false;
            }
        }
        catch (IOException) when (!overwrite && (File.Exists(path) || Directory.Exists(path) || new FileInfo(path).LinkTarget != null))
        {
            message = $"a patch named \"{name}\" exists already: choose another name, or save again to replace it";
            return false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            message = $"\"{name}\" could not be written ({e.GetType().Name}); nothing saved";
            return false;
        }
        message = $"saved {modules} module{(modules == 1 ? "" : "s")} as \"{name}\"";
        return true;
    }

    private bool TryReplace(string path, string name, string json, out string message)
    {
        var existing = new FileInfo(path);
        if (existing.LinkTarget != null || Directory.Exists(path) || (existing.Exists && (existing.Attributes & FileAttributes.Device) != 0))
        {
            message = $"\"{name}\" is not a regular file (a link, directory or device): not replaced";
            return false;
        }
        string temporary = System.IO.Path.Combine(directory.Path, $".{name}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                Write(file, json);
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary); // nothing left when the move happened; the half-written file when it did not
        }
        message = "";
        return true;
    }

    private static void Write(FileStream file, string json)
    {
        file.Write(System.Text.Encoding.UTF8.GetBytes(json));
        file.Flush(flushToDisk: true);
    }
}
