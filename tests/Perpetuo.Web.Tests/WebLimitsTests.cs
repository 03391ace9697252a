using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Perpetuo.Web.Tests;

/// <summary>Each of WebLimits at N and N + 1.</summary>
public sealed class WebLimitsTests
{
    private static string? Kind(JsonElement m) => PageClient.Kind(m);

    [Fact]
    public async Task AHundredAndTwentyEightPagesAreServedAndTheNextIsRefusedWith503()
    {
        await using WebFixture f = await WebFixture.StartAsync();
        int max = WebLimits.Default.MaxPages;
        var pages = new List<PageClient>();
        try
        {
            for (int i = 0; i < max; i++)
            {
                pages.Add(await f.OpenPageAsync());
            }
            foreach (PageClient p in pages)
            {
                await p.WaitForAsync(m => Kind(m) == "levels", 20000);
            }
            Assert.Equal(max, f.Server.Hub.Count);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, await PageClient.RefusedWithAsync(f.Server.Address));
            Assert.Equal(1, f.Engine.MostInFlight);
            await pages[0].DisposeAsync();
            pages.RemoveAt(0);
            await WaitUntil(() => f.Server.Hub.Count == max - 1);
            pages.Add(await f.OpenPageAsync()); // a place freed is a place taken
            await pages[^1].WaitForAsync(m => Kind(m) == "hello");
        }
        finally
        {
            foreach (PageClient p in pages)
            {
                await p.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task AMessageOfTheLargestSizeIsReadAndOneByteMoreClosesThePage()
    {
        await using WebFixture f = await WebFixture.StartAsync();
        int max = WebLimits.Default.MaxMessageBytes;
        await using PageClient page = await f.OpenPageAsync();
        string fits = Padded("""{"id":1,"op":"patches","pad":""}""", max);
        await page.SendRawAsync(fits);
        JsonElement reply = await page.WaitForAsync(m => Kind(m) == "reply" && m.GetProperty("id").GetInt32() == 1);
        Assert.True(reply.GetProperty("ok").GetBoolean());
        await page.SendRawAsync(Padded("""{"id":2,"op":"patches","pad":""}""", max + 1));
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, await page.ClosedAsync());
    }

    [Fact]
    public async Task ASecondsWorthOfRequestsIsTakenAndOneMoreIsRefused()
    {
        await using WebFixture f = await WebFixture.StartAsync(WebLimits.Default with { PageRequestsPerSecond = 20 });
        await using PageClient page = await f.OpenPageAsync();
        await page.WaitForAsync(m => Kind(m) == "hello");
        for (int i = 1; i <= 21; i++)
        {
            await page.SendRawAsync($$"""{"id":{{i}},"op":"patches"}""");
        }
        await page.WaitForAsync(m => Kind(m) == "reply" && m.GetProperty("id").GetInt32() == 20);
        JsonElement refused = await page.WaitForAsync(m => Kind(m) == "reply" && !m.GetProperty("ok").GetBoolean());
        Assert.Contains("too many requests", refused.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(20, page.Received.Count(m => Kind(m) == "reply" && m.GetProperty("ok").GetBoolean()));
    }

    [Fact]
    public async Task APageThatKeepsFloodingIsClosedAfterItsRefusals()
    {
        var limits = WebLimits.Default with { PageRequestsPerSecond = 5, PageRefusalsBeforeClose = 10 };
        await using WebFixture f = await WebFixture.StartAsync(limits);
        await using PageClient page = await f.OpenPageAsync();
        for (int i = 0; i < 5 + 10; i++)
        {
            await page.SendRawAsync("""{"op":"patches"}""");
        }
        await Task.Delay(300);
        Assert.Equal(WebSocketState.Open, page.State); // N refusals: still open
        for (int i = 0; i < 3; i++)
        {
            await page.SendRawAsync("""{"op":"patches"}""");
        }
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await page.ClosedAsync());
    }

    [Fact]
    public async Task AWaitingQueueFullForTheEngineRefusesTheNextRequestAtOnce()
    {
        var limits = WebLimits.Default with { EngineQueue = 4, EngineCommandsPerSecond = 1, PageRequestsPerSecond = 100 };
        await using WebFixture f = await WebFixture.StartAsync(limits);
        await using PageClient page = await f.OpenPageAsync();
        await page.WaitForAsync(m => Kind(m) == "link" && m.GetProperty("connected").GetBoolean());
        await page.RequestAsync(new { op = "panic" }); // spends the one token there is
        for (int i = 0; i < 5; i++)
        {
            await page.SendRawAsync($$"""{"id":{{100 + i}},"op":"param","module":"filter","param":"p{{i}}","value":1}""");
        }
        JsonElement busy = await page.WaitForAsync(m => Kind(m) == "reply" && m.GetProperty("id").GetInt32() == 104);
        Assert.False(busy.GetProperty("ok").GetBoolean());
        Assert.StartsWith("busy", busy.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(page.Received, m => Kind(m) == "reply" && m.GetProperty("id").GetInt32() is >= 100 and < 104);
    }

    [Fact]
    public async Task APageThatStopsReadingIsClosedWhenASendOutlastsItsDeadline()
    {
        var limits = WebLimits.Default with { SendTimeout = TimeSpan.FromSeconds(1), QueryInterval = TimeSpan.FromMilliseconds(50) };
        await using WebFixture f = await WebFixture.StartAsync(limits);
        // A graph that changes all the time, and big: the modules go out at every change.
        f.Engine.ModulesJson = "[" + string.Join(",", Enumerable.Range(0, 200).Select(i =>
            $$"""{"id":"m{{i}}","type":"filter","params":[{"name":"cutoff","value":{{i}},"min":20,"max":20000}]}""")) + "]";
        var bump = new CancellationTokenSource();
        Task bumping = Task.Run(async () =>
        {
            while (!bump.IsCancellationRequested)
            {
                f.Engine.GraphVersion++;
                await Task.Delay(20);
            }
        });
        using var stalled = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 2048 };
        await stalled.ConnectAsync(IPAddress.Loopback, f.Server.Address.Port);
        string origin = f.Server.Address.GetLeftPart(UriPartial.Authority);
        await stalled.SendAsync(Encoding.ASCII.GetBytes(
            $"GET /ws HTTP/1.1\r\nHost: {f.Server.Address.Authority}\r\nOrigin: {origin}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"));
        var head = new byte[512];
        int n = await stalled.ReceiveAsync(head);
        Assert.StartsWith("HTTP/1.1 101", Encoding.ASCII.GetString(head, 0, n), StringComparison.Ordinal);
        await WaitUntil(() => f.Server.Hub.Count == 1);
        // ... and never reads again.
        await WaitUntil(() => f.Server.Hub.Count == 0, TimeSpan.FromSeconds(60));
        await bump.CancelAsync();
        await bumping;
        await using PageClient healthy = await f.OpenPageAsync(); // the server is fine
        await healthy.WaitForAsync(m => Kind(m) == "levels");
    }

    [Fact]
    public async Task TheTimelineKeepsItsLastEntries()
    {
        var timeline = new Timeline(3);
        for (int i = 1; i <= 4; i++)
        {
            timeline.AddNote("note", "info", $"note {i}");
        }
        Assert.Equal(["note 2", "note 3", "note 4"], timeline.After(0).Select(e => e.Text));
        Assert.Equal(["note 4"], timeline.After(3).Select(e => e.Text));
        await Task.CompletedTask;
    }

    private static string Padded(string json, int bytes) => json.Replace("\"pad\":\"\"", "\"pad\":\"" + new string('x', bytes - json.Length) + "\"", StringComparison.Ordinal);

    private static async Task WaitUntil(Func<bool> condition, TimeSpan? timeout = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < (timeout ?? TimeSpan.FromSeconds(10)), "timed out");
            await Task.Delay(20);
        }
    }
}
