using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Perpetuo.Web.Tests;

/// <summary>A page as the server sees it: a WebSocket that records every message and sends requests by id.</summary>
internal sealed class PageClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly List<JsonElement> _received = [];
    private readonly Task _reading;
    private int _nextId = 1;

    private PageClient(ClientWebSocket socket)
    {
        _socket = socket;
        _reading = Task.Run(ReadAsync);
    }

    public WebSocketState State => _socket.State;

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public static async Task<PageClient> ConnectAsync(Uri server, string? token, string? origin = null)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("Origin", origin ?? server.GetLeftPart(UriPartial.Authority));
        if (token != null)
        {
            socket.Options.Cookies = new CookieContainer();
            socket.Options.Cookies.Add(server, new Cookie(WebAccess.Cookie, token));
        }
        await socket.ConnectAsync(new Uri($"ws://{server.Authority}/ws"), CancellationToken.None);
        return new PageClient(socket);
    }

    /// <summary>Every message received so far.</summary>
    public List<JsonElement> Received
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
            }
        }
    }

    public Task SendBinaryAsync(byte[] bytes) => _socket.SendAsync(bytes, WebSocketMessageType.Binary, true, CancellationToken.None);

    /// <summary>The HTTP status of a refused connection attempt (CollectHttpResponseDetails).</summary>
    public static async Task<HttpStatusCode> RefusedWithAsync(Uri server)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("Origin", server.GetLeftPart(UriPartial.Authority));
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(new Uri($"ws://{server.Authority}/ws"), CancellationToken.None));
        return socket.HttpStatusCode;
    }

    public Task SendRawAsync(string text) => _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    /// <summary>Sends a request and waits for its reply.</summary>
    public async Task<JsonElement> RequestAsync(object request, int timeoutMs = 5000)
    {
        int id = _nextId++;
        string json = JsonSerializer.Serialize(request);
        await SendRawAsync(json.Insert(1, $"\"id\":{id},"));
        return await WaitForAsync(m => Kind(m) == "reply" && m.GetProperty("id").GetInt32() == id, timeoutMs);
    }

    /// <summary>The first message (received already, or within the time) that matches.</summary>
    public async Task<JsonElement> WaitForAsync(Func<JsonElement, bool> match, int timeoutMs = 5000)
    {
        var clock = Stopwatch.StartNew();
        while (clock.ElapsedMilliseconds < timeoutMs)
        {
            foreach (JsonElement m in Received)
            {
                if (match(m))
                {
                    return m;
                }
            }
            await Task.Delay(10);
        }
        throw new Xunit.Sdk.XunitException($"no matching message within {timeoutMs} ms; received: {string.Join("\n", Received.TakeLast(10).Select(m => m.GetRawText()))}");
    }

    public static string? Kind(JsonElement m) => m.TryGetProperty("t", out JsonElement t) ? t.GetString() : null;

    /// <summary>Waits until the server closes the socket; the close status.</summary>
    public async Task<WebSocketCloseStatus?> ClosedAsync(int timeoutMs = 10000)
    {
        await Task.WhenAny(_reading, Task.Delay(timeoutMs));
        Assert.True(_reading.IsCompleted, "the server did not close the page");
        return _socket.CloseStatus;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var t = new CancellationTokenSource(2000);
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", t.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
        }
        _socket.Dispose();
        await Task.WhenAny(_reading, Task.Delay(2000));
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[1 << 20];
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                int length = 0;
                WebSocketReceiveResult r;
                do
                {
                    r = await _socket.ReceiveAsync(new ArraySegment<byte>(buffer, length, buffer.Length - length), CancellationToken.None);
                    length += r.Count;
                }
                while (!r.EndOfMessage);
                if (r.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }
                JsonElement m = JsonDocument.Parse(buffer.AsMemory(0, length)).RootElement.Clone();
                lock (_received)
                {
                    _received.Add(m);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
    }
}
