namespace Perpetuo.Web;

/// <summary>
/// Every bound of the web process in one place, as <c>Perpetuo.Protocol.Limits</c> keeps the engine's (and Kestrel's
/// <c>KestrelServerLimits</c> its own): what a page, a hundred pages, a client that stops reading or a hostile one
/// may cost, and what the web process may ask of the engine. Each has a test at N and N + 1 (WebLimitsTests). The
/// defaults are the product's; tests lower some of them (a record: <c>with</c>) to reach a bound in seconds.
/// </summary>
public sealed record WebLimits
{
    /// <summary>The product's limits.</summary>
    public static WebLimits Default { get; } = new();

    // ---- a plugin the engine looks up the first time it is named ----

    /// <summary>Times a command the engine answers "send the request again" is sent again (a plugin being looked up).</summary>
    public int SendAgainTries { get; init; } = 40;

    /// <summary>The pause before each: 40 × 250 ms covers a look-up (about a second, a few on a loaded machine).</summary>
    public TimeSpan SendAgainPause { get; init; } = TimeSpan.FromMilliseconds(250);

    // ---- pages (WebSocket connections) ----

    /// <summary>Pages open at once; one more is refused with HTTP 503 before its WebSocket is accepted.</summary>
    public int MaxPages { get; init; } = 128;

    /// <summary>Largest message a page may send, in bytes; a larger one closes its WebSocket (1009, message too big).</summary>
    public int MaxMessageBytes { get; init; } = 4096;

    /// <summary>Requests a page may send per second (a token bucket of this many, refilled continuously).</summary>
    public int PageRequestsPerSecond { get; init; } = 50;

    /// <summary>Requests refused by the rate limit after which a page is closed (1008, policy violation): a flood, not a slider.</summary>
    public int PageRefusalsBeforeClose { get; init; } = 200;

    /// <summary>Replies waiting to be sent to one page; past it the oldest is dropped (a page that does not read).</summary>
    public int PageReplyQueue { get; init; } = 32;

    /// <summary>How long one send to a page may take before the page is closed (a client that stopped reading).</summary>
    public TimeSpan SendTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>WebSocket keep-alive pings: a page gone without a close is noticed.</summary>
    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>HTTP connections Kestrel keeps at once (pages plus the requests for their files).</summary>
    public int MaxHttpConnections => MaxPages + 32;

    /// <summary>Largest HTTP request body: the page sends everything over its WebSocket, so nothing needs one.</summary>
    public long MaxRequestBodyBytes { get; init; } = 4096;

    // ---- the engine (one OSC client, whatever the number of pages) ----

    /// <summary>How often the engine's live view (/perpetuo/levels) is asked for: the meters' rate.</summary>
    public TimeSpan LevelsInterval { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>How often an engine that does not answer is asked again.</summary>
    public TimeSpan ReconnectInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a reply from the engine is waited for; then the request is given up and the socket replaced.</summary>
    public TimeSpan EngineTimeout { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Shortest time between two /perpetuo/modules (a graph changed by someone else) or /perpetuo/status requests.</summary>
    public TimeSpan QueryInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Commands sent to the engine per second, from all pages together: the web process's share of its OSC port.</summary>
    public int EngineCommandsPerSecond { get; init; } = 100;

    /// <summary>Commands waiting for the engine; past it a request is refused at once ("busy").</summary>
    public int EngineQueue { get; init; } = 256;

    // ---- the page's content ----

    /// <summary>Timeline entries kept (and sent to a page that opens).</summary>
    public int TimelineEntries { get; init; } = 200;

    /// <summary>Patch files listed from the patch directory.</summary>
    public int MaxListedPatches { get; init; } = 500;

    /// <summary>Longest module type a page may name (an LV2 URI with the lv2: prefix).</summary>
    public int MaxTypeLength { get; init; } = 512;
}
