using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Perpetuo.Cli;

/// <summary>The CLI's logging: Microsoft.Extensions.Logging to the console's stderr, one line per entry.</summary>
/// <remarks>
/// The console logger formats and writes on its own thread; callers (the engine's control thread among them) only
/// enqueue. When that queue is full an entry is dropped rather than making the control thread wait.
/// </remarks>
internal static class Logs
{
    /// <summary>A factory logging Information and up, or with <paramref name="quiet"/> only warnings and errors.</summary>
    public static ILoggerFactory Create(bool quiet) => LoggerFactory.Create(b => b
        .SetMinimumLevel(quiet ? LogLevel.Warning : LogLevel.Information)
        .AddConsole(o =>
        {
            o.LogToStandardErrorThreshold = LogLevel.Trace; // everything to stderr: stdout is for command output
            o.QueueFullMode = ConsoleLoggerQueueFullMode.DropWrite;
        })
        .AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
            o.IncludeScopes = false;
        }));
}
