using System.Diagnostics;
using System.Text.Json;
using Perpetuo.IntegrationTests;

namespace Perpetuo.Web.Tests;

/// <summary>`perpetuo web` as a process of its own, over real engines that stop, restart and get killed.</summary>
public sealed class WebProcessTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("perpetuo-web-");

    public void Dispose() => _dir.Delete(recursive: true);

    private static string? Kind(JsonElement m) => PageClient.Kind(m);

    [Fact]
    public async Task TheWebProcessOutlivesAnEngineAndReadsTheNextOneAnew()
    {
        string osc = $"127.0.0.1:{Tools.FreeUdpPort()}";
        using IntegrationTests.Perpetuo web = IntegrationTests.Perpetuo.Start(_dir.FullName, "web", "--listen", "127.0.0.1:0", "--osc", osc);
        Uri address = PrintedAddress.Of(web);
        await using PageClient page = await PageClient.ConnectAsync(address, null);
        await page.WaitForAsync(m => Kind(m) == "link" && !m.GetProperty("connected").GetBoolean());
        using (IntegrationTests.Perpetuo first = IntegrationTests.Perpetuo.Start(_dir.FullName, "play", "--output", "null", "--osc", osc, "--quiet"))
        {
            await page.WaitForAsync(m => Kind(m) == "link" && m.GetProperty("connected").GetBoolean(), 30000);
            await page.WaitForAsync(m => Kind(m) == "levels" && m.GetProperty("slots").GetArrayLength() == 2 && m.GetProperty("peaks").EnumerateArray().Any(p => p.GetSingle() > 0), 30000);
            JsonElement reply = await page.RequestAsync(new { op = "param", module = "filter", param = "cutoff", value = 640 });
            Assert.True(reply.GetProperty("ok").GetBoolean(), reply.GetRawText());
        }
        await page.WaitForAsync(m => Kind(m) == "link" && !m.GetProperty("connected").GetBoolean() && page.Received.Count(x => Kind(x) == "link" && x.GetProperty("connected").GetBoolean()) == 1, 10000);
        using IntegrationTests.Perpetuo second = IntegrationTests.Perpetuo.Start(_dir.FullName, "play", "--output", "null", "--osc", osc, "--quiet");
        await page.WaitForAsync(m => Kind(m) == "timeline" && m.GetProperty("entries").EnumerateArray().Any(e => e.GetProperty("kind").GetString() is "engine_restarted" or "engine_back"), 30000);
        // The new engine's chain, read anew: the old engine's cutoff is gone.
        await page.WaitForAsync(m => Kind(m) == "modules" && m.GetProperty("modules").EnumerateArray()
            .Single(x => x.GetProperty("id").GetString() == "filter").GetProperty("params").EnumerateArray()
            .Single(p => p.GetProperty("name").GetString() == "cutoff").GetProperty("value").GetSingle() != 640f, 10000);
        Assert.False(web.Process.HasExited);
    }

    [Fact]
    public void ThePageOfPlayDiesWithPlayEvenByKill()
    {
        string osc = $"127.0.0.1:{Tools.FreeUdpPort()}";
        using IntegrationTests.Perpetuo play = IntegrationTests.Perpetuo.Start(_dir.FullName, "play", "--output", "null", "--osc", osc, "--web", "127.0.0.1:0", "--quiet");
        PrintedAddress.Of(play);
        int web = play.Children().Single(pid => File.ReadAllText($"/proc/{pid}/cmdline").Contains("\0web\0", StringComparison.Ordinal));
        Signals.Send(play.Process.Id, Signals.SIGKILL);
        var clock = Stopwatch.StartNew();
        while (ProcFs.Alive(web))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "perpetuo web outlived its play");
            Thread.Sleep(50);
        }
    }

    [Fact]
    public void PlayRefusesAPageWithoutTheControlPort()
    {
        var r = IntegrationTests.Perpetuo.Run(_dir.FullName, TimeSpan.FromSeconds(30), "play", "--output", "null", "--osc", "none", "--web", "127.0.0.1:0", "--seconds", "1");
        Assert.Equal(2, r.Code);
        Assert.Contains("--web needs the OSC control port", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAddressOffLoopbackPrintsATokenTheAddressCarries()
    {
        string osc = $"127.0.0.1:{Tools.FreeUdpPort()}";
        using IntegrationTests.Perpetuo web = IntegrationTests.Perpetuo.Start(_dir.FullName, "web", "--listen", "0.0.0.0:0", "--osc", osc);
        Uri address = PrintedAddress.Of(web);
        Assert.Matches("^\\?token=[0-9a-f]{32}$", address.Query);
        using var http = new HttpClient();
        var local = new Uri($"http://127.0.0.1:{address.Port}/");
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await http.GetAsync(local)).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync(new Uri(local, address.Query))).StatusCode);
    }
}
