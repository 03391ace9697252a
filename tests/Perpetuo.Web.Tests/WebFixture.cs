using System.Net;
using Perpetuo.Control.Catalog;
using Perpetuo.Control.Patches;

namespace Perpetuo.Web.Tests;

/// <summary>A web server in this process over a <see cref="FakeEngine"/>, on an ephemeral loopback port.</summary>
internal sealed class WebFixture : IAsyncDisposable
{
    private WebFixture(FakeEngine engine, WebServer server, DirectoryInfo? patches)
    {
        Engine = engine;
        Server = server;
        PatchDir = patches;
    }

    public FakeEngine Engine { get; }

    public WebServer Server { get; }

    public DirectoryInfo? PatchDir { get; }

    public static WebCatalog Catalog { get; } = new(
    [
        new CatalogEntry("filter", "filter", "a filter", false, null,
            [new ParamInfo("mode", 0, 2, 0, "mode") { Integer = true, Labels = ["lowpass", "bandpass", "highpass"] }, new ParamInfo("cutoff", 20, 20000, 1000, "Hz")]),
        new CatalogEntry("lv2:urn:test:plate", "Plate reverb", "lv2:urn:test:plate", true, null, [new ParamInfo("time", 0.01f, 8.5f, 4.75f, "Reverb time")]),
        new CatalogEntry("lv2:urn:test:broken", "Broken", "lv2:urn:test:broken", true, "it needs a feature", []),
    ]);

    public static async Task<WebFixture> StartAsync(WebLimits? limits = null, bool patches = false, string? token = null, IPAddress? listen = null)
    {
        var engine = new FakeEngine();
        DirectoryInfo? dir = patches ? Directory.CreateTempSubdirectory("perpetuo-web-patches-") : null;
        var options = new WebOptions(new IPEndPoint(listen ?? IPAddress.Loopback, 0), engine.Endpoint,
                                     dir != null ? new PatchDirectory(dir.FullName) : null, Catalog, token)
        {
            Limits = limits ?? WebLimits.Default,
        };
        return new WebFixture(engine, await WebServer.StartAsync(options), dir);
    }

    /// <summary>A page's WebSocket, with this server's Origin.</summary>
    public Task<PageClient> OpenPageAsync() => PageClient.ConnectAsync(Server.Address, Server.Access.Token);

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        Engine.Dispose();
        PatchDir?.Delete(recursive: true);
    }
}
