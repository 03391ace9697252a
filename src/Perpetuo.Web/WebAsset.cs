using System.Text;
using Microsoft.AspNetCore.Http;

namespace Perpetuo.Web;

/// <summary>One file of the page, embedded in this assembly (wwwroot/), read once.</summary>
internal sealed class WebAsset
{
    private readonly byte[] _content;
    private readonly string _type;

    private WebAsset(string path, string resource, string type)
    {
        Path = path;
        _type = type;
        using Stream stream = typeof(WebAsset).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"the page's file {resource} is not embedded");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        _content = copy.ToArray();
    }

    /// <summary>The page's files.</summary>
    public static IReadOnlyList<WebAsset> All { get; } =
    [
        new("/", "wwwroot/index.html", "text/html; charset=utf-8"),
        new("/app.js", "wwwroot/app.js", "text/javascript; charset=utf-8"),
        new("/app.css", "wwwroot/app.css", "text/css; charset=utf-8"),
        new("/icon.svg", "wwwroot/icon.svg", "image/svg+xml"),
        new("/manifest.json", "wwwroot/manifest.json", "application/manifest+json"),
    ];

    /// <summary>The URL path it is served at.</summary>
    public string Path { get; }

    public Task WriteAsync(HttpContext context)
    {
        context.Response.ContentType = _type;
        context.Response.Headers.CacheControl = "no-cache";
        return context.Response.Body.WriteAsync(_content).AsTask();
    }

    public static Task WriteJsonAsync(HttpContext context, string json)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache";
        return context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(json)).AsTask();
    }

    /// <summary>
    /// What every answer carries: the page runs only its own script and connects only to its own server, no other
    /// site may frame it, and the address (which may hold the token) is never sent on as a referrer.
    /// </summary>
    public static void SecurityHeaders(HttpResponse response)
    {
        response.Headers.ContentSecurityPolicy =
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; manifest-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers.XFrameOptions = "DENY";
    }
}
