using System.Text;
using Perpetuo.Control.Journal;
using Perpetuo.Transport;

namespace Perpetuo.Supervisor.Control;

/// <summary>Appends every command that enters the command log to a journal file, flushed per line. Control thread only.</summary>
public sealed class JournalWriter : IDisposable
{
    private readonly StreamWriter _file;

    public JournalWriter(string path)
    {
        _file = new StreamWriter(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read), new UTF8Encoding(false)) { AutoFlush = true };
    }

    /// <summary>Lines written.</summary>
    public long Count { get; private set; }

    public void Write(CommandRecord r)
    {
        var e = new JournalEntry(r.ApplyBlock, r.FrameOffset, (JournalKind)r.Kind, r.IdString ?? "", r.NameString ?? "", r.Value, r.Value2);
        _file.WriteLine(JournalFile.Format(e));
        Count++;
    }

    public void Dispose() => _file.Dispose();
}
