using System.Net;
using Microsoft.Extensions.Logging;
using Perpetuo.Supervisor.Control;
using Perpetuo.Supervisor.Osc;
using Perpetuo.Supervisor.Telemetry;

namespace Perpetuo.Cli;

/// <summary>
/// <c>play --metrics HOST:PORT</c>: the engine's <c>Perpetuo</c> meter served as GET /metrics in the Prometheus text
/// format, from a thread of its own (see <see cref="MetricsHttpServer"/> and <see cref="PrometheusExposition"/>).
/// </summary>
internal sealed partial class MetricsExporter : IDisposable
{
    private readonly EngineMetrics _metrics;
    private readonly PrometheusExposition _exposition;
    private readonly MetricsHttpServer _server;

    private MetricsExporter(EngineMetrics metrics, PrometheusExposition exposition, MetricsHttpServer server)
    {
        _metrics = metrics;
        _exposition = exposition;
        _server = server;
    }

    /// <summary>The meter, for the control thread to poll (snapshot and histogram drain).</summary>
    public EngineMetrics Metrics => _metrics;

    /// <summary>Starts serving; a non-loopback address is honoured with a warning.</summary>
    public static MetricsExporter Start(string spec, Engine engine, ILogger logger)
    {
        IPEndPoint endpoint;
        try
        {
            endpoint = OscEndpoint.Parse(spec);
        }
        catch (FormatException e)
        {
            throw new CliException($"play: --metrics {e.Message}", e);
        }
        var exposition = new PrometheusExposition(); // listening before the meter exists: sees every instrument
        var metrics = new EngineMetrics(engine);
        MetricsHttpServer server;
        try
        {
            server = new MetricsHttpServer(endpoint, exposition);
        }
        catch (HttpListenerException e)
        {
            metrics.Dispose();
            exposition.Dispose();
            throw new CliException($"play: cannot serve metrics on {spec}: {e.Message} (choose another port with --metrics HOST:PORT)", e);
        }
        exposition.Collect(); // warm up (JIT) now, not during the first scrape while the audio runs
        if (!IPAddress.IsLoopback(endpoint.Address))
        {
            NotLoopback(logger, endpoint.ToString());
        }
        Serving(logger, server.Url);
        return new MetricsExporter(metrics, exposition, server);
    }

    public void Dispose()
    {
        _server.Dispose();
        _metrics.Dispose();
        _exposition.Dispose();
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "metrics: serving {Url} (Prometheus text format)")]
    private static partial void Serving(ILogger logger, string url);

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning,
                   Message = "metrics: listening on {Endpoint}, not only on loopback: anyone who can reach it can read the engine's metrics")]
    private static partial void NotLoopback(ILogger logger, string endpoint);
}
