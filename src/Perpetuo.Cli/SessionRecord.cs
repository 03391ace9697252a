namespace Perpetuo.Cli;

/// <summary>
/// The private record of a session with live input and no <c>--journal</c>: a journal and its input file in a directory
/// only this user can read (mode 0700, an unguessable name under the temporary directory), removed when play ends. A worker replayed
/// from further back than its region's input history reads the older input from it (<c>InputRecordReader</c>), so a
/// standby comes back at any session length. About 384 KB a second of disk for stereo at 48 kHz (1.4 GB an hour):
/// give <c>--journal</c> to keep it where you choose.
/// </summary>
internal sealed class SessionRecord : IDisposable
{
    private const string Prefix = "perpetuo-session-";

    private SessionRecord(string directory)
    {
        Directory = directory;
        JournalPath = Path.Combine(directory, "session.jsonl");
        InputPath = PlayCommand.JournalInputPath(JournalPath);
    }

    /// <summary>The record's directory.</summary>
    public string Directory { get; }

    /// <summary>Its journal.</summary>
    public string JournalPath { get; }

    /// <summary>Its input file (beside the journal, as a journal's always is).</summary>
    public string InputPath { get; }

    /// <summary>
    /// Creates this process's record directory, first removing those of sessions whose process is gone (a play killed
    /// by SIGKILL leaves its record). Throws CliException when the directory cannot be made.
    /// </summary>
    public static SessionRecord Create()
    {
        string root = Path.GetTempPath();
        RemoveDead(root);
        try
        {
            // mkdtemp: a name nobody could guess and hold ready (a link planted at a predictable name would have had
            // the take written where its owner reads it), mode 0700. The process id in it lets a later run tidy up.
            string pid = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return new SessionRecord(System.IO.Directory.CreateTempSubdirectory($"{Prefix}{pid}-").FullName);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"play: the session's private record (live input without --journal) cannot be made in {root}: {e.Message}; give --journal FILE", e);
        }
    }

    private static void RemoveDead(string root)
    {
        foreach (string d in System.IO.Directory.EnumerateDirectories(root, Prefix + "*"))
        {
            try
            {
                string name = Path.GetFileName(d)[Prefix.Length..];
                int dash = name.IndexOf('-', StringComparison.Ordinal);
                if (dash > 0 && int.TryParse(name.AsSpan(0, dash), System.Globalization.NumberStyles.None,
                                             System.Globalization.CultureInfo.InvariantCulture, out int pid)
                    && pid != Environment.ProcessId && !File.Exists($"/proc/{pid}/stat"))
                {
                    System.IO.Directory.Delete(d, recursive: true);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Another user's, or in use: left alone.
            }
        }
    }

    /// <summary>Removes the record (after the engine and its journal are closed).</summary>
    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"perpetuo: warning: the session's private record {Directory} could not be removed: {e.Message}");
        }
    }
}
