using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Perpetuo.Control.Patches;

namespace Perpetuo.Web;

/// <summary>What `perpetuo web` serves, and where from.</summary>
/// <param name="Listen">Where the page is served (port 0: any free port).</param>
/// <param name="Engine">The engine's OSC control port.</param>
/// <param name="Patches">The patch directory pages load from and save into, or null.</param>
/// <param name="Catalog">What pages may add.</param>
/// <param name="Token">The token every request needs (required off loopback), or null.</param>
public sealed record WebOptions(IPEndPoint Listen, IPEndPoint Engine, PatchDirectory? Patches, WebCatalog Catalog, string? Token)
{
    public WebLimits Limits { get; init; } = WebLimits.Default;
}

// Design: Kestrel, from the shared framework, with the app's few routes: the page's three files (embedded in this
// assembly), the catalog, and /ws. Every request passes WebAccess first; Kestrel's own limits are set from
// WebLimits (connections, body size), and the page count is ours (PageHub.TryReserve: the WebSocket one past the
// limit gets 503 before it is accepted). Nothing here talks to the engine but the EngineMirror.

/// <summary>The web process's server: the page, its WebSocket, and the engine's mirror behind them.</summary>
public sealed class WebServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping = new();

    private WebServer(WebApplication app, PageHub hub, EngineMirror engine, WebAccess access)
    {
        _app = app;
        Hub = hub;
        Engine = engine;
        Access = access;
    }

    /// <summary>The address the page is served at (the real port when 0 was asked), without the token.</summary>
    public Uri Address { get; private set; } = new("http://localhost/");

    public PageHub Hub { get; }

    public EngineMirror Engine { get; }

    public WebAccess Access { get; }

    /// <summary>The address to open: with <c>?token=</c> when one is needed.</summary>
    public Uri PageAddress => Access.Token == null ? Address : new Uri(Address, $"/?token={Access.Token}");

    /// <summary>Starts serving. A non-loopback <see cref="WebOptions.Listen"/> without a token is refused.</summary>
    /// <exception cref="IOException">The address cannot be bound.</exception>
    public static async Task<WebServer> StartAsync(WebOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        bool loopback = IPAddress.IsLoopback(options.Listen.Address);
        if (!loopback && options.Token == null)
        {
            throw new ArgumentException("a page served off loopback needs a token", nameof(options));
        }
        WebLimits limits = options.Limits;
        var access = new WebAccess(options.Token, loopback);
        var hub = new PageHub(limits);
        var patches = options.Patches != null ? new PatchStore(options.Patches, limits.MaxListedPatches) : null;
        var engine = new EngineMirror(options.Engine, limits, hub, patches);
        string catalog = options.Catalog.ToJson();

        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(options.Listen);
            k.AddServerHeader = false;
            k.Limits.MaxConcurrentConnections = limits.MaxHttpConnections;
            k.Limits.MaxConcurrentUpgradedConnections = limits.MaxPages + 1; // ours refuses the one past MaxPages, with a 503
            k.Limits.MaxRequestBodySize = limits.MaxRequestBodyBytes;
            k.Limits.MaxRequestHeadersTotalSize = 16 * 1024;
        });
        WebApplication app = builder.Build();
        var server = new WebServer(app, hub, engine, access);
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = limits.KeepAlive, KeepAliveTimeout = limits.KeepAlive * 2 });
        app.Use((context, next) => server.Admit(context, next));
        foreach (WebAsset asset in WebAsset.All)
        {
            app.MapGet(asset.Path, (HttpContext c) => asset.WriteAsync(c));
        }
        app.MapGet("/api/catalog", (HttpContext c) => WebAsset.WriteJsonAsync(c, catalog));
        app.Map("/ws", (HttpContext c) => server.AcceptPageAsync(c));
        await app.StartAsync().ConfigureAwait(false);
        string bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Address = new Uri(bound + "/");
        engine.Start();
        return server;
    }

    /// <summary>Every request: a Host this server is, the token when one is needed (query or cookie).</summary>
    private Task Admit(HttpContext context, RequestDelegate next)
    {
        HttpRequest request = context.Request;
        if (!Access.HostAllowed(request.Host.Value))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return context.Response.WriteAsync("this page answers only to its own address (localhost)\n");
        }
        string? query = request.Query["token"].FirstOrDefault();
        if (!Access.TokenMatches(query) && !Access.TokenMatches(request.Cookies[WebAccess.Cookie]))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return context.Response.WriteAsync("open the address perpetuo web printed, with its ?token=\n");
        }
        if (Access.Token != null && query != null)
        {
            context.Response.Cookies.Append(WebAccess.Cookie, Access.Token,
                new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Path = "/", IsEssential = true });
        }
        WebAsset.SecurityHeaders(context.Response);
        return next(context);
    }

    private async Task AcceptPageAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        if (!WebAccess.OriginAllowed(context.Request.Headers.Origin.FirstOrDefault(), context.Request.Host.Value))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await context.Response.WriteAsync("a WebSocket is accepted from this server's own page only\n").ConfigureAwait(false);
            return;
        }
        if (!Hub.TryReserve())
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await context.Response.WriteAsync($"{Hub.Limits.MaxPages} pages are open: close one\n").ConfigureAwait(false);
            return;
        }
        try
        {
            using System.Net.WebSockets.WebSocket socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
            await new PageConnection(socket, Hub, Engine).RunAsync(_stopping.Token).ConfigureAwait(false);
        }
        finally
        {
            Hub.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (PageConnection page in Hub.Pages)
        {
            page.Close("the web process stops");
        }
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        Engine.Dispose();
        _stopping.Dispose();
    }
}
