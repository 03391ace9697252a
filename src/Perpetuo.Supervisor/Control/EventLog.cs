using System.Text;
using System.Text.Json;

namespace Perpetuo.Supervisor.Control;

/// <summary>
/// The engine's event stream: one JSON object per line (worker started, exited, killed, hung, faulty, respawned,
/// resynced, failover, underrun, divergence), each with a wall-clock timestamp and the block sequence number.
/// Written on the control thread; also kept in memory (the last few) for status and the dashboard.
/// </summary>
public sealed class EventLog : IDisposable
{
    private readonly StreamWriter? _file;
    private readonly Queue<string> _recent = new();
    private readonly Dictionary<string, long> _counts = new(StringComparer.Ordinal);

    public EventLog(string? path)
    {
        if (path != null)
        {
            _file = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read), new UTF8Encoding(false)) { AutoFlush = true };
        }
    }

    /// <summary>Raised (on the control thread) with each line written.</summary>
    public event Action<string>? Written;

    /// <summary>The last events, oldest first. Control thread only (see <see cref="RecentLines"/> for other threads).</summary>
    public IReadOnlyCollection<string> Recent => _recent;

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

    /// <summary>Writes one event; <paramref name="fields"/> are extra name/value pairs.</summary>
    public void Write(string kind, long seq, int slot = -1, params (string Name, object? Value)[] fields)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteString("ts", DateTime.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            w.WriteString("event", kind);
            w.WriteNumber("seq", seq);
            if (slot >= 0)
            {
                w.WriteNumber("slot", slot);
            }
            foreach (var (name, value) in fields)
            {
                switch (value)
                {
                    case null: w.WriteNull(name); break;
                    case string s: w.WriteString(name, s); break;
                    case int i: w.WriteNumber(name, i); break;
                    case long l: w.WriteNumber(name, l); break;
                    case double d: w.WriteNumber(name, d); break;
                    case bool b: w.WriteBoolean(name, b); break;
                    default: w.WriteString(name, value.ToString()); break;
                }
            }
            w.WriteEndObject();
        }
        string line = Encoding.UTF8.GetString(stream.ToArray());
        // The lock is for readers on other threads (status at exit, the metrics scrape); the writer is the control thread.
        lock (_recent)
        {
            _counts[kind] = _counts.GetValueOrDefault(kind) + 1;
            _recent.Enqueue(line);
            while (_recent.Count > 32)
            {
                _recent.Dequeue();
            }
        }
        _file?.WriteLine(line);
        Written?.Invoke(line);
    }

    public void Dispose() => _file?.Dispose();
}
