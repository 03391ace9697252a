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
/// The control thread only hands each event over (<see cref="EventLog.Written"/>) into a bounded queue; a
/// background thread of its own formats and logs it. Why: formatting is the logging library's generic code, compiled
/// on first use (measured: the first warning stalled a control tick by 25 ms, long enough to starve the workers of
/// render limit), and a slow terminal must never hold up supervision. A full queue drops the entry (counted in
/// <see cref="Dropped"/>); the events file and the status still have it. Floods are already coalesced by the engine
/// (<see cref="EventCoalescer"/>); the structured fields are formatted, no JSON is parsed back.
/// </remarks>
internal static partial class EventLogger
{
    private const int QueueCapacity = 1024;

    private static long s_dropped;

    /// <summary>Log entries dropped because the logging thread fell behind by <see cref="QueueCapacity"/> entries.</summary>
    public static long Dropped => Interlocked.Read(ref s_dropped);

    /// <summary>
    /// Logs every event <paramref name="events"/> writes from now on, from a background thread. Dispose the result to
    /// log what is still queued and stop the thread.
    /// </summary>
    public static IDisposable Attach(EventLog events, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(events);
        var queue = System.Threading.Channels.Channel.CreateBounded<EventLine>(
            new System.Threading.Channels.BoundedChannelOptions(QueueCapacity)
            {
                SingleReader = true,
                SingleWriter = true,
                FullMode = System.Threading.Channels.BoundedChannelFullMode.Wait, // TryWrite fails instead: counted below
            });
        var thread = new Thread(() =>
        {
            while (queue.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            {
                while (queue.Reader.TryRead(out EventLine? e))
                {
                    Log(logger, e);
                }
            }
        })
        { Name = "perpetuo-log", IsBackground = true, Priority = ThreadPriority.BelowNormal };
        thread.Start();
        events.Written += e =>
        {
            if (!queue.Writer.TryWrite(e))
            {
                Interlocked.Increment(ref s_dropped);
            }
        };
        return new Pump(queue.Writer, thread);
    }

    /// <summary>Completes the queue and waits (a bounded time) for the logging thread to log what is left.</summary>
    private sealed class Pump(System.Threading.Channels.ChannelWriter<EventLine> writer, Thread thread) : IDisposable
    {
        public void Dispose()
        {
            writer.TryComplete();
            thread.Join(TimeSpan.FromSeconds(2));
        }
    }

    /// <summary>The level an event kind is logged at.</summary>
    public static LogLevel LevelOf(string kind) => kind switch
    {
        "started" or "respawned" or "resynced" or "recovered" or "checkpoint" or "checkpoint_discarded" or "cold_start" or "trailing"
            or "trailer_released"
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
