using System.Buffers;
using System.Text.Json;
using Perpetuo.Control.Journal;
using Perpetuo.Transport;

namespace Perpetuo.Supervisor.Control;

/// <summary>
/// Appends every command that enters the command log to a journal file in the <see cref="JournalFile"/> format,
/// one line per command, flushed per line. Control thread only.
/// </summary>
/// <remarks>
/// At a thousand commands a second this runs a thousand times a second in the audio process, so it allocates
/// nothing: one reused JSON writer over one reused buffer, the id and name written straight from the record's
/// UTF-8 bytes. <c>JournalWriterTests</c> pin that the lines read back with <see cref="JournalFile.Read"/>.
/// </remarks>
public sealed class JournalWriter : IDisposable
{
    private readonly FileStream _file;
    private readonly ArrayBufferWriter<byte> _line = new(512);
    private readonly Utf8JsonWriter _json;

    public JournalWriter(string path)
    {
        _file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 1);
        _json = new Utf8JsonWriter(_line);
    }

    /// <summary>Lines written.</summary>
    public long Count { get; private set; }

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
        _file.Write(_line.WrittenSpan); // one write per line: flushed as soon as the command is accepted
        Count++;
    }

    private static ReadOnlySpan<byte> Utf8(ReadOnlySpan<byte> bytes, int length, int max) =>
        bytes[..Math.Clamp(length, 0, max)];

    public void Dispose()
    {
        _json.Dispose();
        _file.Dispose();
    }
}
