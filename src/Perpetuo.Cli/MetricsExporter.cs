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
/// <remarks>
/// Two steps, so that `play` binds the port before anything truncates a file (<see cref="Listen"/>) and serves the
/// engine only once it exists (<see cref="Attach"/>). Dispose it before the engine: a scrape reads the engine.
/// </remarks>
internal sealed partial class MetricsExporter : IDisposable
{
    private readonly PrometheusExposition _exposition;
    private readonly MetricsHttpServer _server;
    private EngineMetrics? _metrics;
    private bool _disposed;

    private MetricsExporter(PrometheusExposition exposition, MetricsHttpServer server)
    {
        _exposition = exposition;
        _server = server;
    }

    /// <summary>The meter, for the control thread to poll (snapshot and histogram drain); null before <see cref="Attach"/>.</summary>
    public EngineMetrics? Metrics => _metrics;

    /// <summary>Binds and starts serving (nothing to show until <see cref="Attach"/>); a non-loopback address is honoured with a warning.</summary>
    public static MetricsExporter Listen(string spec, ILogger logger)
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
        MetricsHttpServer server;
        try
        {
            server = new MetricsHttpServer(endpoint, exposition);
        }
        catch (HttpListenerException e)
        {
            exposition.Dispose();
            throw new CliException($"play: cannot serve metrics on {spec}: {e.Message} (choose another port with --metrics HOST:PORT)", e);
        }
        if (!IPAddress.IsLoopback(endpoint.Address))
        {
            NotLoopback(logger, endpoint.ToString());
        }
        Serving(logger, server.Url);
        return new MetricsExporter(exposition, server);
    }

    /// <summary>
    /// Serves <paramref name="engine"/>'s meter from now on; returns the meter for the control thread to poll. Dispose
    /// this exporter before the engine (disposing twice is harmless).
    /// </summary>
    public EngineMetrics Attach(Engine engine)
    {
        _metrics = new EngineMetrics(engine);
        _exposition.Collect(); // warm up (JIT) now, not during the first scrape while the audio runs
        return _metrics;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        _server.Dispose(); // first: no scrape reads the engine after this
        _metrics?.Dispose();
        _exposition.Dispose();
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "metrics: serving {Url} (Prometheus text format)")]
    private static partial void Serving(ILogger logger, string url);

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning,
                   Message = "metrics: listening on {Endpoint}, not only on loopback: anyone who can reach it can read the engine's metrics")]
    private static partial void NotLoopback(ILogger logger, string endpoint);
}
