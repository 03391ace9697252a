using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Perpetuo.Supervisor.Control;

/// <summary>
/// The engine's event stream: one JSON object per line (worker started, exited, killed, hung, faulty, respawned,
/// resynced, failover, underrun, divergence), each with a wall-clock timestamp and the block sequence number.
/// Written on the control thread; also kept in memory (the last few) for status and the dashboard.
/// </summary>
/// <remarks>
/// Design: the events file is a log, never a reason to stop the audio. Each line goes out in one unbuffered write;
/// a write that fails (disk full, I/O error) loses that line only, counted in <see cref="LinesLost"/>. The first
/// loss is reported once as an <c>events_write_failed</c> event, which goes where the file cannot: the in-memory
/// recent events (status, `perpetuo top`) and <see cref="Written"/> (the log, at Error). Later lines are still
/// attempted, so the file resumes when space returns. Flood control is the caller's (<see cref="EventCoalescer"/>).
/// </remarks>
public sealed class EventLog : IDisposable
{
    /// <summary>How many of the last events are kept in memory.</summary>
    public const int RecentCapacity = 32;

    private readonly FileStream? _file;
    private readonly ArrayBufferWriter<byte> _buffer = new(256);
    // Hand-written, not the source-generated serializer: each event kind has fields of its own (no fixed schema), and one reused writer and buffer serve every line.
    private readonly Utf8JsonWriter _json;
    private readonly Queue<string> _recent = new();
    private readonly Dictionary<string, long> _counts = new(StringComparer.Ordinal);
    private long _lost;
    private string? _lastError;

    public EventLog(string? path)
    {
        _json = new Utf8JsonWriter(_buffer);
        if (path != null)
        {
            // bufferSize 1: unbuffered, one write(2) per line, so a failed write leaves nothing behind to retry.
            _file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 1);
        }
    }

    /// <summary>Raised (on the control thread) with each event written.</summary>
    public event Action<EventLine>? Written;

    /// <summary>The last events, oldest first. Control thread only (see <see cref="RecentLines"/> for other threads).</summary>
    public IReadOnlyCollection<string> Recent => _recent;

    /// <summary>Lines the events file could not take. Any thread.</summary>
    public long LinesLost => Volatile.Read(ref _lost);

    /// <summary>A copy of the last <paramref name="max"/> events, oldest first. Any thread.</summary>
    public string[] RecentLines(int max)
    {
        lock (_recent)
        {
            return _recent.Skip(Math.Max(0, _recent.Count - max)).ToArray();
        }
    }

    /// <summary>How many events of <paramref name="kind"/> were written. Any thread.</summary>
    public long Count(string kind)
    {
        lock (_recent)
        {
            return _counts.GetValueOrDefault(kind);
        }
    }

    /// <summary>Writes one event; <paramref name="fields"/> are extra name/value pairs. Control thread.</summary>
    public void Write(string kind, long seq, int slot = -1, params (string Name, object? Value)[] fields)
    {
        EventLine line = Format(kind, seq, slot, fields);
        if (_file != null && !TryAppend())
        {
            long lost = _lost + 1;
            Volatile.Write(ref _lost, lost); // only this thread writes; status reads it from others
            if (lost == 1)
            {
                Record(line);
                Record(Format("events_write_failed", seq, -1,
                              [("error", _lastError), ("meaning", "events lines are being lost (the engine keeps playing); the status counts them in event_lines_lost")]));
                return;
            }
        }
        Record(line);
    }

    private bool TryAppend()
    {
        _buffer.GetSpan(1)[0] = (byte)'\n';
        _buffer.Advance(1);
        try
        {
            _file!.Write(_buffer.WrittenSpan);
            return true;
        }
        catch (IOException e)
        {
            _lastError = e.Message;
            return false;
        }
    }

    private void Record(EventLine line)
    {
        // The lock is for readers on other threads (status at exit, the metrics scrape); the writer is the control thread.
        lock (_recent)
        {
            _counts[line.Kind] = _counts.GetValueOrDefault(line.Kind) + 1;
            _recent.Enqueue(line.Json);
            while (_recent.Count > RecentCapacity)
            {
                _recent.Dequeue();
            }
        }
        Written?.Invoke(line);
    }

    private EventLine Format(string kind, long seq, int slot, (string Name, object? Value)[] fields)
    {
        _buffer.ResetWrittenCount();
        _json.Reset(_buffer);
        _json.WriteStartObject();
        _json.WriteString("ts", DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture));
        _json.WriteString("event", kind);
        _json.WriteNumber("seq", seq);
        if (slot >= 0)
        {
            _json.WriteNumber("slot", slot);
        }
        foreach (var (name, value) in fields)
        {
            switch (value)
            {
                case null: _json.WriteNull(name); break;
                case string s: _json.WriteString(name, s); break;
                case int i: _json.WriteNumber(name, i); break;
                case long l: _json.WriteNumber(name, l); break;
                case double d: _json.WriteNumber(name, d); break;
                case bool b: _json.WriteBoolean(name, b); break;
                default: _json.WriteString(name, value.ToString()); break;
            }
        }
        _json.WriteEndObject();
        _json.Flush();
        return new EventLine(kind, seq, slot, fields, Encoding.UTF8.GetString(_buffer.WrittenSpan));
    }

    public void Dispose()
    {
        _json.Dispose();
        try
        {
            _file?.Dispose();
        }
        catch (IOException)
        {
            // Unbuffered: nothing is left to flush, so a close error loses nothing that was not counted.
        }
    }
}
