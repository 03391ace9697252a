using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;

namespace Perpetuo.Web;

// Design: two loops per page. The receive loop reads each message into one buffer of WebLimits.MaxMessageBytes (a
// larger message closes the page: 1009), rate-limits it (a token bucket; a page that keeps flooding is closed:
// 1008), checks it (PageRequest) and hands it to the engine mirror, whose answer goes to the page's reply queue
// (bounded: the oldest reply is dropped). The send loop wakes when a state, the timeline or a reply is new and sends
// what this page has not had yet: for states only the newest (a page that reads slowly skips states, it never
// queues them). Every send has a deadline (WebLimits.SendTimeout); a page that stops reading is closed when it
// passes. So a page costs at most one receive buffer, a few replies and one message in flight.

/// <summary>One open page: its WebSocket, what it was sent, what it asked.</summary>
public sealed class PageConnection
{
    private readonly WebSocket _socket;
    private readonly PageHub _hub;
    private readonly EngineMirror _engine;
    private readonly WebLimits _limits;
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly Queue<string> _replies = new();
    private readonly byte[]?[] _sent = new byte[Enum.GetValues<StateKind>().Length][];
    private readonly CancellationTokenSource _closing = new();
    private long _timelineSent;
    private readonly long _historyUntil;
    private int _refusals;

    public PageConnection(WebSocket socket, PageHub hub, EngineMirror engine)
    {
        _socket = socket ?? throw new ArgumentNullException(nameof(socket));
        _hub = hub ?? throw new ArgumentNullException(nameof(hub));
        _engine = engine ?? throw new ArgumentNullException(nameof(engine));
        _limits = hub.Limits;
        _historyUntil = hub.Timeline.Newest; // what happened before this page came: shown, not announced
    }

    /// <summary>Why the page was closed by the server ("" while open, or when the page closed itself).</summary>
    public string ClosedBecause { get; private set; } = "";

    /// <summary>Wakes the send loop. Any thread.</summary>
    public void Wake()
    {
        try
        {
            if (_wake.CurrentCount == 0)
            {
                _wake.Release();
            }
        }
        catch (Exception e) when (e is SemaphoreFullException or ObjectDisposedException)
        {
            // already awake, or closed
        }
    }

    /// <summary>Serves the page until it closes, is closed, or <paramref name="stop"/>.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        using CancellationTokenSource both = CancellationTokenSource.CreateLinkedTokenSource(stop, _closing.Token);
        _hub.Add(this);
        try
        {
            EnqueueReply(WebJson.Hello(_limits));
            Task sending = SendLoopAsync(both.Token);
            await ReceiveLoopAsync(both.Token).ConfigureAwait(false);
            await _closing.CancelAsync().ConfigureAwait(false);
            await sending.ConfigureAwait(false);
        }
        finally
        {
            _hub.Remove(this);
            _wake.Dispose();
        }
    }

    /// <summary>Closes the page from the server's side (shutdown).</summary>
    public void Close(string why)
    {
        ClosedBecause = why;
        _socket.Abort();
        _closing.Cancel();
    }

    private async Task ReceiveLoopAsync(CancellationToken stop)
    {
        var buffer = new byte[_limits.MaxMessageBytes];
        var bucket = new TokenBucket(_limits.PageRequestsPerSecond, Stopwatch.GetTimestamp());
        try
        {
            while (_socket.State == WebSocketState.Open && !stop.IsCancellationRequested)
            {
                int length = 0;
                ValueWebSocketReceiveResult r;
                do
                {
                    if (length == buffer.Length)
                    {
                        await CloseAsync(WebSocketCloseStatus.MessageTooBig, $"a message may be at most {_limits.MaxMessageBytes} bytes").ConfigureAwait(false);
                        return;
                    }
                    r = await _socket.ReceiveAsync(buffer.AsMemory(length), stop).ConfigureAwait(false);
                    length += r.Count;
                }
                while (!r.EndOfMessage && r.MessageType != WebSocketMessageType.Close);
                if (r.MessageType == WebSocketMessageType.Close)
                {
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None).ConfigureAwait(false);
                    return;
                }
                if (r.MessageType != WebSocketMessageType.Text)
                {
                    await CloseAsync(WebSocketCloseStatus.InvalidMessageType, "messages are JSON text").ConfigureAwait(false);
                    return;
                }
                if (!bucket.TryTake(Stopwatch.GetTimestamp()))
                {
                    if (++_refusals > _limits.PageRefusalsBeforeClose)
                    {
                        await CloseAsync(WebSocketCloseStatus.PolicyViolation, "too many requests").ConfigureAwait(false);
                        return;
                    }
                    EnqueueReply(WebJson.Reply(0, new PageReply(false, $"too many requests: at most {_limits.PageRequestsPerSecond} a second")));
                    continue;
                }
                Handle(buffer.AsSpan(0, length));
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // the page went away, or the server stops
        }
    }

    private void Handle(ReadOnlySpan<byte> message)
    {
        if (!PageRequest.TryParse(message, _limits, out PageRequest? request, out int id, out string? error))
        {
            EnqueueReply(WebJson.Reply(id, new PageReply(false, error)));
            return;
        }
        _ = AnswerAsync(request);
    }

    private async Task AnswerAsync(PageRequest request)
    {
        PageReply reply = await _engine.Submit(request).ConfigureAwait(false);
        EnqueueReply(WebJson.Reply(request.Id, reply));
    }

    private void EnqueueReply(string json)
    {
        lock (_replies)
        {
            _replies.Enqueue(json);
            while (_replies.Count > _limits.PageReplyQueue)
            {
                _replies.Dequeue(); // a page that does not read loses its oldest replies, never the server its memory
            }
        }
        Wake();
    }

    private async Task SendLoopAsync(CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested && _socket.State == WebSocketState.Open)
            {
                while (await SendOneAsync(stop).ConfigureAwait(false))
                {
                }
                await _wake.WaitAsync(stop).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // closed
        }
    }

    /// <summary>Sends the next thing this page has not had: a reply, a state, the timeline. False when it is up to date.</summary>
    private async Task<bool> SendOneAsync(CancellationToken stop)
    {
        string? reply = null;
        lock (_replies)
        {
            if (_replies.Count > 0)
            {
                reply = _replies.Dequeue();
            }
        }
        if (reply != null)
        {
            return await SendAsync(Encoding.UTF8.GetBytes(reply), stop).ConfigureAwait(false);
        }
        foreach (StateKind kind in Enum.GetValues<StateKind>())
        {
            byte[]? state = _hub.State(kind);
            if (state != null && !ReferenceEquals(state, _sent[(int)kind]))
            {
                _sent[(int)kind] = state;
                return await SendAsync(state, stop).ConfigureAwait(false);
            }
        }
        if (_hub.Timeline.Newest > _timelineSent)
        {
            IReadOnlyList<TimelineEntry> entries = _hub.Timeline.After(_timelineSent);
            _timelineSent = entries.Count > 0 ? entries[^1].Number : _hub.Timeline.Newest;
            return entries.Count == 0 || await SendAsync(Encoding.UTF8.GetBytes(WebJson.Timeline(entries, _historyUntil)), stop).ConfigureAwait(false);
        }
        return false;
    }

    private async Task<bool> SendAsync(byte[] message, CancellationToken stop)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stop);
        deadline.CancelAfter(_limits.SendTimeout);
        try
        {
            await _socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, deadline.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (!stop.IsCancellationRequested)
        {
            Close($"a send took longer than {_limits.SendTimeout.TotalSeconds:0.#} s: the page stopped reading");
            return false;
        }
    }

    private async Task CloseAsync(WebSocketCloseStatus status, string why)
    {
        ClosedBecause = why;
        using var deadline = new CancellationTokenSource(_limits.SendTimeout);
        try
        {
            await _socket.CloseAsync(status, why, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            _socket.Abort();
        }
    }
}
