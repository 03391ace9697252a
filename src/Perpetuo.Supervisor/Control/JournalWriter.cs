using System.Buffers;
using System.Text.Json;
using Perpetuo.Control.Journal;
using Perpetuo.Transport;

namespace Perpetuo.Supervisor.Control;

/// <summary>
/// Appends every command that enters the command log to a journal file in the <see cref="JournalFile"/> format,
/// one line per command, flushed per line. Control thread only (except <see cref="LinesLost"/>).
/// </summary>
/// <remarks>
/// At a thousand commands a second this runs a thousand times a second in the audio process, so it allocates
/// nothing: one reused JSON writer over one reused buffer, the id and name written straight from the record's
/// UTF-8 bytes. <c>JournalWriterTests</c> pin that the lines read back with <see cref="JournalFile.Read"/>.
/// <para>
/// Design: the journal is a log line, never a reason to stop the audio. A write that fails (disk full, I/O error)
/// loses that line, is counted in <see cref="LinesLost"/>, and the first such failure raises
/// <see cref="WriteFailed"/> once; later lines are still attempted, so the journal resumes when space returns. Every
/// line goes out in one unbuffered write, so a failure cannot leave a half-line in a buffer to corrupt the next
/// one. A journal with a lost line no longer replays the session: <see cref="LossMeaning"/> says so.
/// </para>
/// </remarks>
public sealed class JournalWriter : IDisposable
{
    /// <summary>What a lost journal line means, for the one error message an operator sees.</summary>
    public const string LossMeaning =
        "journal lines are being lost (the engine keeps playing): the journal is incomplete from here on and " +
        "`perpetuo render --journal` can no longer reproduce this session";

    private readonly FileStream _file;
    private readonly ArrayBufferWriter<byte> _line = new(512);
    private readonly Utf8JsonWriter _json;
    private long _lost;

    public JournalWriter(string path)
    {
        _file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 1);
        _json = new Utf8JsonWriter(_line);
    }

    /// <summary>Lines written.</summary>
    public long Count { get; private set; }

    /// <summary>Lines that could not be written. Any thread.</summary>
    public long LinesLost => Volatile.Read(ref _lost);

    /// <summary>Raised (on the control thread, inside <see cref="Write"/>) at the first lost line only.</summary>
    public event Action<IOException>? WriteFailed;

    public void Write(CommandRecord r)
    {
        _line.ResetWrittenCount();
        _json.Reset(_line);
        _json.WriteStartObject();
        _json.WriteNumber("block"u8, r.ApplyBlock);
        _json.WriteNumber("frame"u8, r.FrameOffset);
        _json.WriteString("kind"u8, JournalFile.KindName((JournalKind)r.Kind));
        _json.WriteString("id"u8, Utf8(r.Id, r.IdLength, CommandRecord.MaxIdBytes));
        _json.WriteString("name"u8, Utf8(r.Name, r.NameLength, CommandRecord.MaxNameBytes));
        _json.WriteNumber("value"u8, r.Value);
        _json.WriteNumber("value2"u8, r.Value2);
        _json.WriteEndObject();
        _json.Flush();
        _line.GetSpan(1)[0] = (byte)'\n';
        _line.Advance(1);
        try
        {
            _file.Write(_line.WrittenSpan); // one write per line: flushed as soon as the command is accepted
            Count++;
        }
        catch (IOException e)
        {
            Lost(e);
        }
    }

    private void Lost(IOException e)
    {
        // Only the control thread writes; Volatile publishes the count to a status read on another thread.
        long lost = _lost + 1;
        Volatile.Write(ref _lost, lost);
        if (lost == 1)
        {
            WriteFailed?.Invoke(e);
        }
    }

    private static ReadOnlySpan<byte> Utf8(ReadOnlySpan<byte> bytes, int length, int max) =>
        bytes[..Math.Clamp(length, 0, max)];

    public void Dispose()
    {
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
