using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace Perpetuo.Web;

// Design: the page changes the audio and loads patches, so who may open it is decided on every request, HTTP and
// WebSocket alike:
// - Bound to loopback (the default), the machine's own users may; a web page of another site in the same browser
//   may not: its WebSocket carries its own Origin, which must be this server's (cross-site WebSocket hijacking),
//   and every request's Host must be a loopback name, so a site whose DNS name is made to point at 127.0.0.1 (DNS
//   rebinding) is refused even for the page itself.
// - Bound to any other address, a token is required as well, as Jupyter does: printed at start, in the URL the
//   first time (?token=), then in a cookie (HttpOnly, SameSite=Strict) the page's requests carry by themselves. It
//   is compared in constant time.

/// <summary>Who may use the page: the token, the Origin of a WebSocket, the Host of a request.</summary>
/// <remarks>Immutable; any thread.</remarks>
public sealed class WebAccess
{
    /// <summary>The cookie that carries the token after the first visit.</summary>
    public const string Cookie = "perpetuo_token";

    private readonly byte[]? _token;

    /// <param name="token">The token every request must carry, or null (loopback only).</param>
    /// <param name="loopbackOnly">Whether the server listens on loopback only (then Host must be a loopback name).</param>
    public WebAccess(string? token, bool loopbackOnly)
    {
        Token = token;
        _token = token == null ? null : Encoding.UTF8.GetBytes(token);
        LoopbackOnly = loopbackOnly;
    }

    /// <summary>The token, or null when none is needed.</summary>
    public string? Token { get; }

    public bool LoopbackOnly { get; }

    /// <summary>A new random token: 128 bits, as 32 hexadecimal digits.</summary>
    public static string NewToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>Whether a request carrying <paramref name="offered"/> (from the query or the cookie) may pass.</summary>
    public bool TokenMatches(string? offered)
    {
        if (_token == null)
        {
            return true;
        }
        if (offered == null)
        {
            return false;
        }
        byte[] given = Encoding.UTF8.GetBytes(offered);
        // FixedTimeEquals takes time by the length, never by the first differing byte; a wrong length says only that.
        return given.Length == _token.Length && CryptographicOperations.FixedTimeEquals(given, _token);
    }

    /// <summary>Whether <paramref name="host"/> (a request's Host header) may reach this server.</summary>
    public bool HostAllowed(string? host)
    {
        if (string.IsNullOrEmpty(host))
        {
            return false;
        }
        if (!LoopbackOnly)
        {
            return true; // the token decides
        }
        string name = HostName(host);
        return name.Equals("localhost", StringComparison.OrdinalIgnoreCase)
               || (IPAddress.TryParse(name, out IPAddress? ip) && IPAddress.IsLoopback(ip));
    }

    /// <summary>Whether a WebSocket's <paramref name="origin"/> is this server's own page (<c>http://HOST</c> of the request).</summary>
    public static bool OriginAllowed(string? origin, string? host) =>
        !string.IsNullOrEmpty(origin) && !string.IsNullOrEmpty(host)
        && Uri.TryCreate(origin, UriKind.Absolute, out Uri? o) && o.Scheme is "http" or "https"
        && string.Equals(o.Authority, host, StringComparison.OrdinalIgnoreCase) && o.AbsolutePath == "/";

    /// <summary>The name or address part of a Host header (without the port; an IPv6 address without its brackets).</summary>
    private static string HostName(string host)
    {
        if (host.StartsWith('['))
        {
            int end = host.IndexOf(']', StringComparison.Ordinal);
            return end > 0 ? host[1..end] : host;
        }
        int colon = host.LastIndexOf(':');
        return colon >= 0 ? host[..colon] : host;
    }
}
