using System.Net;
using System.Text;

namespace Perpetuo.Supervisor.Telemetry;

/// <summary>
/// Serves GET /metrics (Prometheus text) with an <see cref="HttpListener"/> on a thread of its own, below normal
/// priority: never the audio thread, never the control thread. One request at a time.
/// </summary>
public sealed class MetricsHttpServer : IDisposable
{
    private readonly HttpListener _http = new();
    private readonly PrometheusExposition _exposition;
    private readonly Thread _thread;

    /// <summary>Starts listening on <paramref name="endpoint"/> (an address of 0.0.0.0 or :: listens on all).</summary>
    /// <exception cref="HttpListenerException">The address cannot be served (port in use, ...).</exception>
    public MetricsHttpServer(IPEndPoint endpoint, PrometheusExposition exposition)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        _exposition = exposition;
        string host = endpoint.Address.Equals(IPAddress.Any) || endpoint.Address.Equals(IPAddress.IPv6Any) ? "+"
            : endpoint.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{endpoint.Address}]"
            : endpoint.Address.ToString();
        Url = $"http://{host}:{endpoint.Port}/metrics";
        _http.Prefixes.Add($"http://{host}:{endpoint.Port}/");
        _http.Start();
        _thread = new Thread(Serve) { Name = "perpetuo-metrics", IsBackground = true, Priority = ThreadPriority.BelowNormal };
        _thread.Start();
    }

    /// <summary>Where the metrics are.</summary>
    public string Url { get; }

    /// <summary>Requests answered.</summary>
    public long Scrapes => Volatile.Read(ref _scrapes);

    private long _scrapes;

    public void Dispose()
    {
        _http.Stop(); // GetContext throws: the thread ends
        _thread.Join(TimeSpan.FromSeconds(2));
        _http.Close();
    }

    private void Serve()
    {
        while (_http.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = _http.GetContext();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return; // stopped
            }
            try
            {
                Answer(context);
            }
            catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
            {
                // the scraper went away mid-answer: nothing to do
            }
        }
    }

    private void Answer(HttpListenerContext context)
    {
        using HttpListenerResponse response = context.Response;
        if (context.Request.HttpMethod is not ("GET" or "HEAD") || context.Request.Url?.AbsolutePath.TrimEnd('/') != "/metrics")
        {
            response.StatusCode = 404;
            response.OutputStream.Write("try GET /metrics\n"u8);
            return;
        }
        byte[] body = Encoding.UTF8.GetBytes(_exposition.Collect());
        response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
        response.ContentLength64 = body.Length;
        if (context.Request.HttpMethod == "GET")
        {
            response.OutputStream.Write(body);
        }
        Interlocked.Increment(ref _scrapes);
    }
}
