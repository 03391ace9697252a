using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using Perpetuo.Control.Commands;

namespace Perpetuo.Web.Tests;

/// <summary>The web server over a fake engine: what pages get, what the engine is asked, and how much.</summary>
public sealed class WebServerTests
{
    private static string? Kind(JsonElement m) => PageClient.Kind(m);

    [Fact]
    public async Task APageGetsTheLinkTheLevelsTheModulesTheStatusAndTheTimeline()
    {
        await using WebFixture f = await WebFixture.StartAsync();
        f.Engine.Events.Add("""{"ts":"2026-01-05T10:12:03.4411Z","event":"failover","seq":934,"from":0,"to":1}""");
        f.Engine.Roles = ["standby", "active", "resyncing"];
        await using PageClient page = await f.OpenPageAsync();
        await page.WaitForAsync(m => Kind(m) == "hello");
        JsonElement link = await page.WaitForAsync(m => Kind(m) == "link" && m.GetProperty("connected").GetBoolean());
        Assert.Equal(f.Engine.Endpoint.ToString(), link.GetProperty("engine").GetString());
        JsonElement levels = await page.WaitForAsync(m => Kind(m) == "levels" && m.GetProperty("slots").GetArrayLength() == 3);
        Assert.Equal(["standby", "active", "resyncing"], levels.GetProperty("slots").EnumerateArray().Select(s => s.GetProperty("role").GetString()));
        Assert.Equal([0.5f, 0.25f], levels.GetProperty("peaks").EnumerateArray().Select(p => p.GetSingle()));
        JsonElement modules = await page.WaitForAsync(m => Kind(m) == "modules");
        Assert.Equal("filter", modules.GetProperty("modules")[0].GetProperty("id").GetString());
        await page.WaitForAsync(m => Kind(m) == "status" && m.GetProperty("status").GetProperty("seq").GetInt64() > 0);
        JsonElement timeline = await page.WaitForAsync(m => Kind(m) == "timeline");
        JsonElement entry = timeline.GetProperty("entries").EnumerateArray().Single(e => e.GetProperty("kind").GetString() == "failover");
        Assert.Contains("slot 0 → slot 1", entry.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal("warn", entry.GetProperty("severity").GetString());
    }

    [Fact]
    public async Task AParameterFromOnePageReachesTheEngineAndEveryPageSeesItWithoutAskingTheEngineAgain()
    {
        await using WebFixture f = await WebFixture.StartAsync();
        await using PageClient a = await f.OpenPageAsync();
        await using PageClient b = await f.OpenPageAsync();
        await b.WaitForAsync(m => Kind(m) == "modules");
        int modulesAsked = f.Engine.RequestsTo(ControlAddresses.Modules).Count;

        JsonElement reply = await a.RequestAsync(new { op = "param", module = "filter", param = "cutoff", value = 432.5 });

        Assert.True(reply.GetProperty("ok").GetBoolean(), reply.GetRawText());
        OscAssert.Param(Assert.Single(f.Engine.RequestsTo(ControlAddresses.Param)), "filter", "cutoff", 432.5f);
        await b.WaitForAsync(m => Kind(m) == "modules" && m.GetProperty("modules")[0].GetProperty("params")[0].GetProperty("value").GetSingle() == 432.5f);
        await Task.Delay(500); // several levels later: the graph's version moved by our one command, so nothing is re-read
        Assert.Equal(modulesAsked, f.Engine.RequestsTo(ControlAddresses.Modules).Count);
    }

    [Fact]
    public async Task AChangeMadeByAnotherClientIsReadFromTheEngine()
    {
        await using WebFixture f = await WebFixture.StartAsync();
        await using PageClient page = await f.OpenPageAsync();
        await page.WaitForAsync(m => Kind(m) == "modules");
        f.Engine.ModulesJson = """[{"id":"other","type":"gain","params":[]}]""";
        f.Engine.GraphVersion += 5; // e.g. perpetuo send, oscsend
        await page.WaitForAsync(m => Kind(m) == "modules" && m.GetProperty("modules")[0].GetProperty("id").GetString() == "other");
    }

    [Fact]
    public async Task AnEngineErrorIsThePagesReplyWordForWord()
    {
        await using WebFixture f = await WebFixture.StartAsync();
        await using PageClient page = await f.OpenPageAsync();
        await page.WaitForAsync(m => Kind(m) == "link" && m.GetProperty("connected").GetBoolean());
        f.Engine.RefuseWith = "/perpetuo/param: module \"filter\": cutoff 1e+06 out of range [20, 20000]";
        JsonElement reply = await page.RequestAsync(new { op = "param", module = "filter", param = "cutoff", value = 1e6 });
        Assert.False(reply.GetProperty("ok").GetBoolean());
        Assert.Equal(f.Engine.RefuseWith, reply.GetProperty("message").GetString());
    }

    [Fact]
    public async Task ASliderMovedWhileTheEngineIsBusyIsSentAsItsLastValueAndNeverFloodsTheEngine()
    {
        await using WebFixture f = await WebFixture.StartAsync();
        await using PageClient page = await f.OpenPageAsync();
        await page.WaitForAsync(m => Kind(m) == "link" && m.GetProperty("connected").GetBoolean());
        f.Engine.Delay = TimeSpan.FromMilliseconds(60); // every answer takes 60 ms
        var replies = Enumerable.Range(1, 40).Select(i => page.RequestAsync(new { op = "param", module = "filter", param = "cutoff", value = 100 * i }, 20000)).ToList();
        await Task.WhenAll(replies);

        Assert.All(replies, r => Assert.True(r.Result.GetProperty("ok").GetBoolean()));
        List<Control.Osc.OscMessage> sent = f.Engine.RequestsTo(ControlAddresses.Param);
        Assert.InRange(sent.Count, 1, 20); // most were replaced while one was in flight
        OscAssert.Param(sent[^1], "filter", "cutoff", 4000f); // the last position always goes
        Assert.Equal(1, f.Engine.MostInFlight); // one request at a time, whatever the pages do
    }

    [Fact]
    public async Task CommandsGoToTheEngineAtMostAtTheWebProcesssRate()
    {
        await using WebFixture f = await WebFixture.StartAsync(WebLimits.Default with { EngineCommandsPerSecond = 10, PageRequestsPerSecond = 100 });
        await using PageClient page = await f.OpenPageAsync();
        await page.WaitForAsync(m => Kind(m) == "link" && m.GetProperty("connected").GetBoolean());
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var replies = Enumerable.Range(0, 30).Select(i => page.RequestAsync(new { op = "param", module = "filter", param = $"p{i}", value = i }, 20000)).ToList();
        await Task.WhenAll(replies);
        // 10 at once (a second's worth saved up), then 10 a second: 30 take about 2 s, never much less.
        Assert.True(clock.Elapsed > TimeSpan.FromSeconds(1.8), $"30 commands in {clock.Elapsed.TotalSeconds:0.00} s at 10 a second");
        Assert.Equal(30, f.Engine.RequestsTo(ControlAddresses.Param).Count);
    }

    [Fact]
    public async Task TenPagesCostTheEngineWhatOnePageDoes()
    {
        await using WebFixture f = await WebFixture.StartAsync();
        await using PageClient first = await f.OpenPageAsync();
        await first.WaitForAsync(m => Kind(m) == "levels");
        await Task.Delay(1000);
        int oneBefore = f.Engine.Requests.Count;
        await Task.Delay(2000);
        int onePage = f.Engine.Requests.Count - oneBefore;
        var pages = new List<PageClient>();
        for (int i = 0; i < 9; i++)
        {
            pages.Add(await f.OpenPageAsync());
        }
        await Task.Delay(1000);
        int tenBefore = f.Engine.Requests.Count;
        await Task.Delay(2000);
        int tenPages = f.Engine.Requests.Count - tenBefore;
        foreach (PageClient p in pages)
        {
            Assert.Contains(p.Received, m => Kind(m) == "levels");
            await p.DisposeAsync();
        }
        // 20 levels a second for one page or ten (modules, status and events only when they change)
        Assert.InRange(onePage, 30, 45);
        Assert.InRange(tenPages, 30, 45);
    }

    [Fact]
    public async Task AnEngineThatStopsAnsweringIsShownAndReadAnewWhenItComesBackAsANewEngine()
    {
        await using WebFixture f = await WebFixture.StartAsync(WebLimits.Default with { ReconnectInterval = TimeSpan.FromMilliseconds(200) });
        await using PageClient page = await f.OpenPageAsync();
        await page.WaitForAsync(m => Kind(m) == "link" && m.GetProperty("connected").GetBoolean());
        int links = page.Received.Count(x => Kind(x) == "link");
        f.Engine.Answering = false;
        // The link lost after it was up (the page's first link, before the engine answered, says not connected too).
        await page.WaitForAsync(m => Kind(m) == "link" && !m.GetProperty("connected").GetBoolean() && page.Received.Count(x => Kind(x) == "link") > links);
        JsonElement refused = await page.RequestAsync(new { op = "param", module = "filter", param = "cutoff", value = 500 });
        Assert.Contains("does not answer", refused.GetProperty("message").GetString(), StringComparison.Ordinal);

        f.Engine.Seq = 10; // a new engine: its clock started again
        f.Engine.ModulesJson = """[{"id":"fresh","type":"gain","params":[]}]""";
        f.Engine.Answering = true;
        await page.WaitForAsync(m => Kind(m) == "link" && m.GetProperty("connected").GetBoolean() && page.Received.Count(x => Kind(x) == "link") > 2);
        await page.WaitForAsync(m => Kind(m) == "modules" && m.GetProperty("modules")[0].GetProperty("id").GetString() == "fresh");
        await page.WaitForAsync(m => Kind(m) == "timeline" && m.GetProperty("entries").EnumerateArray().Any(e => e.GetProperty("kind").GetString() == "engine_restarted"));
        Assert.Contains(page.Received, m => Kind(m) == "timeline" && m.GetProperty("entries").EnumerateArray().Any(e => e.GetProperty("kind").GetString() == "engine_lost"));
    }

    [Fact]
    public async Task AMalformedMessageIsAnsweredAndABinaryOneClosesThePage()
    {
        await using WebFixture f = await WebFixture.StartAsync();
        await using PageClient page = await f.OpenPageAsync();
        await page.SendRawAsync("{not json");
        JsonElement reply = await page.WaitForAsync(m => Kind(m) == "reply");
        Assert.Equal("not a JSON message", reply.GetProperty("message").GetString());
        JsonElement bad = await page.RequestAsync(new { op = "param", module = "../../etc", param = "cutoff", value = 1 });
        Assert.Contains("may contain only letters", bad.GetProperty("message").GetString(), StringComparison.Ordinal);
        JsonElement unknown = await page.RequestAsync(new { op = "format-disk" });
        Assert.Contains("unknown op", unknown.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty(f.Engine.RequestsTo(ControlAddresses.Param));
        await page.SendBinaryAsync([1, 2, 3]);
        Assert.Equal(WebSocketCloseStatus.InvalidMessageType, await page.ClosedAsync());
    }

    [Fact]
    public async Task AWebSocketFromAnotherSitesPageIsRefused()
    {
        await using WebFixture f = await WebFixture.StartAsync();
        var e = await Assert.ThrowsAsync<WebSocketException>(() => PageClient.ConnectAsync(f.Server.Address, null, origin: "http://evil.example"));
        Assert.Contains("403", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, f.Server.Hub.Count);
    }

    [Fact]
    public async Task ARequestForAnotherHostIsRefusedOnLoopback()
    {
        await using WebFixture f = await WebFixture.StartAsync();
        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(f.Server.Address)).StatusCode);
        using var rebound = new HttpRequestMessage(HttpMethod.Get, f.Server.Address);
        rebound.Headers.Host = $"attacker.example:{f.Server.Address.Port}"; // a DNS name pointed at 127.0.0.1
        Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(rebound)).StatusCode);
    }

    [Fact]
    public async Task OffLoopbackEveryRequestNeedsTheTokenFromTheQueryOrItsCookie()
    {
        string token = WebAccess.NewToken();
        await using WebFixture f = await WebFixture.StartAsync(token: token, listen: IPAddress.Any);
        var local = new Uri($"http://127.0.0.1:{f.Server.Address.Port}/");
        using var handler = new HttpClientHandler { UseCookies = true, CookieContainer = new CookieContainer() };
        using var http = new HttpClient(handler);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync(local)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync(new Uri(local, "/api/catalog"))).StatusCode);
        string wrong = new string('0', token.Length);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync(new Uri(local, $"/?token={wrong}"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(local, $"/?token={token}"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(local, "/api/catalog"))).StatusCode); // the cookie now
        await Assert.ThrowsAsync<WebSocketException>(() => PageClient.ConnectAsync(local, null));
        await using PageClient page = await PageClient.ConnectAsync(local, token);
        await page.WaitForAsync(m => Kind(m) == "hello");
    }

    [Fact]
    public async Task TheSessionIsSavedIntoThePatchDirectoryAndNeverOverwrittenUnlessAsked()
    {
        await using WebFixture f = await WebFixture.StartAsync(patches: true);
        await using PageClient page = await f.OpenPageAsync();
        await page.WaitForAsync(m => Kind(m) == "link" && m.GetProperty("connected").GetBoolean());
        JsonElement saved = await page.RequestAsync(new { op = "save", name = "live.json" });
        Assert.True(saved.GetProperty("ok").GetBoolean(), saved.GetRawText());
        Assert.Equal("saved 1 module as \"live.json\"", saved.GetProperty("message").GetString());
        string path = Path.Combine(f.PatchDir!.FullName, "live.json");
        Assert.Equal(f.Engine.PatchJson, File.ReadAllText(path));
        await page.WaitForAsync(m => Kind(m) == "patches" && m.GetProperty("names").EnumerateArray().Any(n => n.GetString() == "live.json"));

        f.Engine.PatchJson = """{"modules": []}""";
        JsonElement again = await page.RequestAsync(new { op = "save", name = "live.json" });
        Assert.False(again.GetProperty("ok").GetBoolean());
        Assert.Contains("exists already", again.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("filter", File.ReadAllText(path), StringComparison.Ordinal);
        JsonElement replaced = await page.RequestAsync(new { op = "save", name = "live.json", overwrite = true });
        Assert.True(replaced.GetProperty("ok").GetBoolean(), replaced.GetRawText());
        Assert.Equal(f.Engine.PatchJson, File.ReadAllText(path));
        Assert.Single(f.PatchDir.GetFiles()); // no temporary file left

        JsonElement loaded = await page.RequestAsync(new { op = "load", name = "live.json" });
        Assert.True(loaded.GetProperty("ok").GetBoolean());
        OscAssert.Strings(Assert.Single(f.Engine.RequestsTo(ControlAddresses.PatchLoad)), "live.json");
    }

    [Fact]
    public async Task ANameThatLeavesThePatchDirectoryIsRefusedBeforeAnythingIsAsked()
    {
        await using WebFixture f = await WebFixture.StartAsync(patches: true);
        await using PageClient page = await f.OpenPageAsync();
        foreach (string name in (string[])["../escape.json", "/etc/x.json", ".hidden.json", "notjson.txt", "a/b.json"])
        {
            JsonElement reply = await page.RequestAsync(new { op = "save", name });
            Assert.False(reply.GetProperty("ok").GetBoolean(), name);
            Assert.Contains("one plain name ending in .json", reply.GetProperty("message").GetString(), StringComparison.Ordinal);
        }
        Assert.Empty(f.Engine.RequestsTo(ControlAddresses.PatchCurrent));
        Assert.Empty(f.PatchDir!.GetFileSystemInfos());
        Assert.False(File.Exists(Path.Combine(f.PatchDir.Parent!.FullName, "escape.json")));
    }
}
