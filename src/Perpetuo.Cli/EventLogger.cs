using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Perpetuo.Supervisor.Control;

namespace Perpetuo.Cli;

/// <summary>
/// Turns each line of the engine's <see cref="EventLog"/> into a log entry: worker life cycle at Information,
/// anything that costs redundancy or audio (failover, underrun, kill, hang, divergence, backoff) at Warning, a
/// worker that cannot be started at Error.
/// </summary>
/// <remarks>
/// Runs on the control thread (the <see cref="EventLog.Written"/> event), never the audio thread: the callback hands
/// its events over through the lock-free EventQueue. The events file keeps its JSON-lines format; this only reads it.
/// </remarks>
internal static partial class EventLogger
{
    /// <summary>Logs every event <paramref name="events"/> writes from now on.</summary>
    public static void Attach(EventLog events, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(events);
        events.Written += line => Log(logger, line);
    }

    /// <summary>The level an event kind is logged at.</summary>
    public static LogLevel LevelOf(string kind) => kind switch
    {
        "started" or "respawned" or "resynced" or "recovered" => LogLevel.Information,
        "spawn_failed" => LogLevel.Error,
        _ => LogLevel.Warning,
    };

    private static void Log(ILogger logger, string line)
    {
        using JsonDocument doc = JsonDocument.Parse(line);
        JsonElement e = doc.RootElement;
        string kind = e.GetProperty("event").GetString() ?? "event";
        LogLevel level = LevelOf(kind);
        if (!logger.IsEnabled(level))
        {
            return;
        }
        var details = new StringBuilder();
        foreach (JsonProperty p in e.EnumerateObject())
        {
            if (p.Name is "ts" or "event" or "seq")
            {
                continue;
            }
            details.Append(CultureInfo.InvariantCulture, $" {p.Name}={(p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText())}");
        }
        EngineEvent(logger, level, kind, e.GetProperty("seq").GetInt64(), details.ToString());
    }

    [LoggerMessage(EventId = 1, Message = "{Event} at block {Seq}:{Details}")]
    private static partial void EngineEvent(ILogger logger, LogLevel level, string @event, long seq, string details);
}
