using System.Buffers;
using System.Text.Json;
using Perpetuo.Control.Journal;
using Perpetuo.Transport;
using Perpetuo.Protocol;

namespace Perpetuo.Supervisor.Control;

/// <summary>
/// Appends every command that enters the command log to a journal file in the <see cref="JournalFile"/> format,
/// one line per command after the session's line (<see cref="WriteSession"/>), written out once per control tick (<see cref="Flush"/>). Control thread only (except
/// <see cref="LinesLost"/>).
/// </summary>
/// <remarks>
/// At a thousand commands a second this runs a thousand times a second in the audio process, so it allocates
/// nothing: one reused JSON writer over one reused buffer, the id and name written straight from the record's
/// UTF-8 bytes. <c>JournalWriterTests</c> pin that the lines read back with <see cref="JournalFile.Read"/>.
/// <para>
/// Design: the journal is a log line, never a reason to stop the audio. A write that fails (disk full, I/O error)
/// loses the lines of that write, is counted in <see cref="LinesLost"/>, and the first such failure raises
/// <see cref="WriteFailed"/> once; later lines are still attempted, so the journal resumes when space returns. The
/// lines of one tick go out in one unbuffered write: a patch of thousands of commands costs one system call, not
/// thousands (measured: ~5 µs each, tens of milliseconds of control thread for a large patch otherwise), and a
/// failure cannot leave lines in a buffer to be written later out of order. A journal with a lost line no longer
/// replays the session: <see cref="LossMeaning"/> says so.
/// </para>
/// </remarks>
public sealed class JournalWriter : IDisposable
{
    /// <summary>What a lost journal line means, for the one error message an operator sees.</summary>
    public const string LossMeaning =
        "journal lines are being lost (the engine keeps playing): the journal is incomplete from here on and " +
        "`perpetuo render --journal` can no longer reproduce this session";

    private readonly FileStream _file;
    private readonly ArrayBufferWriter<byte> _lines = new(64 * 1024);
    // Hand-written, not the source-generated serializer: one reused writer and buffer keep each line allocation-free at 1,000 commands/s.
    private readonly Utf8JsonWriter _json;
    private long _lost;
    private int _pending;
    private bool _session;

    public JournalWriter(string path)
    {
        _file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 1);
        _json = new Utf8JsonWriter(_lines);
    }

    /// <summary>Lines written to the file.</summary>
    public long Count { get; private set; }

    /// <summary>Lines that could not be written. Any thread.</summary>
    public long LinesLost => Volatile.Read(ref _lost);

    /// <summary>Raised (on the control thread, inside <see cref="Write"/>) at the first lost line only.</summary>
    public event Action<IOException>? WriteFailed;

    /// <summary>
    /// Adds the session line, which makes the journal self-describing: <c>render --journal</c> takes the rate,
    /// channels, block and limiter from it. Once, before any command (the engine does it in <c>AttachJournal</c>,
    /// from its options as the output runs them); it reaches the file at the next <see cref="Flush"/>, with the same
    /// loss accounting as a command's line. Control thread only, once: it may allocate.
    /// </summary>
    public void WriteSession(JournalHeader session)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (_session || _pending > 0 || Count > 0 || _lost > 0)
        {
            throw new InvalidOperationException("the session line is written once, before any command");
        }
        _session = true;
        _json.Reset(_lines);
        _json.WriteStartObject();
        _json.WriteString("kind"u8, JournalFile.SessionKind);
        _json.WriteNumber("rate"u8, session.SampleRate);
        _json.WriteNumber("channels"u8, session.Channels);
        _json.WriteNumber("block"u8, session.BlockFrames);
        _json.WriteBoolean("limiter"u8, session.Limiter);
        if (session.Input != null)
        {
            _json.WriteString("input"u8, session.Input);
        }
        if (session.Patch != null)
        {
            _json.WritePropertyName("patch"u8);
            using JsonDocument patch = JsonDocument.Parse(session.Patch);
            patch.RootElement.WriteTo(_json); // re-written compact: one line, whatever the patch's own layout
        }
        _json.WriteEndObject();
        EndLine();
    }

    /// <summary>
    /// Adds the line naming a plugin the session plays (<see cref="JournalPlugin"/>), before the first command that
    /// uses it. Control thread only; once per plugin a session: it may allocate.
    /// </summary>
    public void WritePlugin(JournalPlugin plugin)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        _json.Reset(_lines);
        _json.WriteStartObject();
        _json.WriteString("kind"u8, JournalFile.PluginKind);
        _json.WriteString("uri"u8, plugin.Uri);
        _json.WriteString("version"u8, plugin.Version);
        _json.WriteString("library"u8, plugin.Library);
        _json.WriteEndObject();
        EndLine();
    }

    /// <summary>Adds the line of <paramref name="r"/>; it reaches the file at the next <see cref="Flush"/>.</summary>
    public void Write(CommandRecord r)
    {
        _json.Reset(_lines);
        _json.WriteStartObject();
        _json.WriteNumber("block"u8, r.ApplyBlock);
        _json.WriteNumber("frame"u8, r.FrameOffset);
        _json.WriteString("kind"u8, JournalFile.KindName((CommandKind)r.Kind));
        _json.WriteString("id"u8, Utf8(r.Id, r.IdLength, CommandRecord.MaxIdBytes));
        _json.WriteString("name"u8, Utf8(r.Name, r.NameLength, CommandRecord.MaxNameBytes));
        _json.WriteNumber("value"u8, r.Value);
        _json.WriteNumber("value2"u8, r.Value2);
        _json.WriteEndObject();
        EndLine();
    }

    private void EndLine()
    {
        _json.Flush();
        _lines.GetSpan(1)[0] = (byte)'\n';
        _lines.Advance(1);
        _pending++;
    }

    /// <summary>Writes every line added since the last flush, in one write. The engine calls it once per tick.</summary>
    public void Flush()
    {
        if (_pending == 0)
        {
            return;
        }
        int lines = _pending;
        _pending = 0;
        try
        {
            _file.Write(_lines.WrittenSpan);
            Count += lines;
        }
        catch (IOException e)
        {
            Lost(e, lines);
        }
        finally
        {
            _lines.ResetWrittenCount();
        }
    }

    private void Lost(IOException e, int lines)
    {
        // Only the control thread writes; Volatile publishes the count to a status read on another thread.
        long lost = _lost + lines;
        bool first = _lost == 0;
        Volatile.Write(ref _lost, lost);
        if (first)
        {
            WriteFailed?.Invoke(e);
        }
    }

    private static ReadOnlySpan<byte> Utf8(ReadOnlySpan<byte> bytes, int length, int max) =>
        bytes[..Math.Clamp(length, 0, max)];

    public void Dispose()
    {
        Flush();
        _json.Dispose();
        try
        {
            _file.Dispose();
        }
        catch (IOException)
        {
            // Nothing is buffered (bufferSize 1): a close error loses nothing that was not already counted.
        }
    }
}
