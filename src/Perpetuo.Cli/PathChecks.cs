using Perpetuo.Control.Files;

namespace Perpetuo.Cli;

/// <summary>
/// The checks every path option of `play`, `render` and `demo` gets before anything starts (no port bound, no
/// worker spawned, no file truncated): a wrong path is one line and exit status 2 (<see cref="CliException"/>),
/// never a stack trace, a hang or a half-started engine.
/// </summary>
/// <remarks>
/// They are checks, not guarantees (a directory can vanish between the check and the open), so the opens are
/// still guarded; what they buy is that the common mistakes fail fast, before an existing file is touched.
/// Input files must be regular files: a FIFO would block the read and /dev/zero would never end
/// (<see cref="RegularFile"/>). Output files may be devices (<c>/dev/null</c>, <c>/dev/full</c>): a write error
/// there costs log lines, never audio.
/// </remarks>
internal static class PathChecks
{
    /// <summary>A file that will be created or overwritten: a path, not a directory, in a directory that exists.</summary>
    public static void Output(string verb, string option, string? path)
    {
        if (path == null)
        {
            return;
        }
        NotEmpty(verb, option, path);
        if (Directory.Exists(path))
        {
            throw new CliException($"{verb}: {option} {path}: is a directory; give a file name");
        }
        string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir) && !Directory.Exists(dir))
        {
            throw new CliException($"{verb}: {option} {path}: the directory {dir} does not exist");
        }
    }

    /// <summary>A file that will be read: an existing regular file.</summary>
    public static void Input(string verb, string option, string? path)
    {
        if (path == null)
        {
            return;
        }
        NotEmpty(verb, option, path);
        if (!RegularFile.TryOpen(path, out var handle, out _, out string error))
        {
            throw new CliException($"{verb}: {option} {path}: {error}");
        }
        handle!.Dispose();
    }

    /// <summary>Not empty and free of NUL characters (which no file name can hold).</summary>
    public static void NotEmpty(string verb, string option, string path)
    {
        if (path.Length == 0)
        {
            throw new CliException($"{verb}: {option} needs a path, got an empty one");
        }
        if (path.Contains('\0', StringComparison.Ordinal))
        {
            throw new CliException($"{verb}: {option}: the path contains a NUL character");
        }
    }
}
