using System.Globalization;
using System.Net;

namespace Perpetuo.Supervisor.Osc;

/// <summary>Parses the <c>HOST:PORT</c> of <c>--osc</c>, shared by the server and the CLI client.</summary>
public static class OscEndpoint
{
    /// <summary>The control port's default: loopback only.</summary>
    public const string Default = "127.0.0.1:57130";

    /// <summary>
    /// Parses <c>HOST:PORT</c> (<c>[::1]:PORT</c> for IPv6). HOST is an IP address or <c>localhost</c>; other
    /// names are refused rather than resolved, so the bind address is exactly what was asked for.
    /// </summary>
    /// <exception cref="FormatException">The text is not HOST:PORT with a port in 1..65535.</exception>
    public static IPEndPoint Parse(string text) => Parse(text, allowPortZero: false);

    /// <inheritdoc cref="Parse(string)"/>
    /// <param name="text">HOST:PORT.</param>
    /// <param name="allowPortZero">Accept port 0 (a listener's "any free port").</param>
    public static IPEndPoint Parse(string text, bool allowPortZero)
    {
        ArgumentNullException.ThrowIfNull(text);
        int colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1)
        {
            throw new FormatException($"expected HOST:PORT such as {Default}, got \"{text}\"");
        }
        string host = text[..colon].Trim('[', ']');
        string portText = text[(colon + 1)..];
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port < (allowPortZero ? 0 : 1) || port > 65535)
        {
            throw new FormatException($"port must be {(allowPortZero ? 0 : 1)}..65535, got \"{portText}\" in \"{text}\"");
        }
        IPAddress address = host == "localhost" ? IPAddress.Loopback
            : IPAddress.TryParse(host, out IPAddress? ip) ? ip
            : throw new FormatException($"host must be an IP address or localhost, got \"{host}\" in \"{text}\"");
        return new IPEndPoint(address, port);
    }
}
