using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Perpetuo.Supervisor.Control;

namespace Perpetuo.Cli;

/// <summary>
/// Turns each event of the engine's <see cref="EventLog"/> into a log entry: routine life cycle and bookkeeping
/// (started, respawned, checkpoints, cold starts) at Information, anything that costs redundancy or audio or that an
/// operator should act on (failover, underrun, kill, hang, divergence, backoff) at Warning, and what breaks a
/// promise (a worker that cannot be started, a journal or events file losing lines) at Error.
/// </summary>
/// <remarks>
/// Runs on the control thread (the <see cref="EventLog.Written"/> event), never the audio thread: the callback hands
/// its events over through the lock-free EventQueue. It formats the structured fields the log passes along, so no
/// JSON is parsed back; floods are already coalesced by the engine (<see cref="EventCoalescer"/>).
/// </remarks>
internal static partial class EventLogger
{
    /// <summary>Logs every event <paramref name="events"/> writes from now on.</summary>
    public static void Attach(EventLog events, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(events);
        events.Written += e => Log(logger, e);
    }

    /// <summary>The level an event kind is logged at.</summary>
    public static LogLevel LevelOf(string kind) => kind switch
    {
        "started" or "respawned" or "resynced" or "recovered" or "checkpoint" or "checkpoint_discarded" or "cold_start"
            => LogLevel.Information,
        "spawn_failed" or "journal_write_failed" or "events_write_failed" => LogLevel.Error,
        _ => LogLevel.Warning,
    };

    private static void Log(ILogger logger, EventLine e)
    {
        LogLevel level = LevelOf(e.Kind);
        if (!logger.IsEnabled(level))
        {
            return;
        }
        var details = new StringBuilder();
        if (e.Slot >= 0)
        {
            details.Append(CultureInfo.InvariantCulture, $" slot={e.Slot}");
        }
        foreach (var (name, value) in e.Fields)
        {
            details.Append(CultureInfo.InvariantCulture, $" {name}={Text(value)}");
        }
        EngineEvent(logger, level, e.Kind, e.Seq, details.ToString());
    }

    private static string Text(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    [LoggerMessage(EventId = 1, Message = "{Event} at block {Seq}:{Details}")]
    private static partial void EngineEvent(ILogger logger, LogLevel level, string @event, long seq, string details);
}
