using System.Diagnostics;
using System.Text.Json;
using Perpetuo.IntegrationTests;

namespace Perpetuo.Web.Tests;

/// <summary>
/// The page in a real browser (Debian's chromium, headless, driven by playwright-core) against a real engine started
/// as a musician would: `perpetuo play --web 127.0.0.1:0`.
/// </summary>
public sealed class BrowserTests : IDisposable
{
    private const string HitlessDepth = "12";

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("perpetuo-web-");

    private string PathOf(string name) => Path.Combine(_dir.FullName, name);

    public void Dispose() => _dir.Delete(recursive: true);

    [BrowserFact]
    public void MovingASliderChangesTheParameterInTheEngineAndTheJournalAndTheRenderHearsIt()
    {
        string osc = $"127.0.0.1:{Tools.FreeUdpPort()}";
        using IntegrationTests.Perpetuo play = Play(osc, "--output", "wav:out.wav", "--journal", "j.jsonl");
        using BrowserSession browser = BrowserSession.Start(PrintedAddress.Of(play));
        browser.Do(new { cmd = "open", width = 1280, height = 900 });

        double sent = browser.Do(new { cmd = "slider", module = "filter", param = "cutoff", value = 3000 }).GetProperty("sent").GetDouble();

        Assert.InRange(sent, 2900, 3100); // the slider's nearest step
        float expected = (float)sent;
        WaitUntil(() => ModuleValue(osc, "filter", "cutoff") == expected, "perpetuo modules shows the new cutoff");
        Thread.Sleep(1000); // heard for a while
        string seconds = Stop(play);
        JsonElement last = File.ReadLines(PathOf("j.jsonl")).Skip(1).Select(l => JsonDocument.Parse(l).RootElement)
            .Last(e => e.GetProperty("kind").GetString() == "param" && e.GetProperty("id").GetString() == "filter");
        Assert.Equal(("cutoff", expected), (last.GetProperty("name").GetString(), last.GetProperty("value").GetSingle()));
        var render = IntegrationTests.Perpetuo.Run(_dir.FullName, TimeSpan.FromSeconds(60), "render", "--journal", "j.jsonl", "--seconds", seconds, "--out", "replay.wav");
        Assert.True(render.Code == 0, render.Stderr);
        Wav.AssertIdentical(PathOf("replay.wav"), PathOf("out.wav"));
        var plain = IntegrationTests.Perpetuo.Run(_dir.FullName, TimeSpan.FromSeconds(60), "render", "--seconds", seconds, "--out", "plain.wav");
        Assert.True(plain.Code == 0, plain.Stderr);
        Assert.True(Wav.FirstDifference(Perpetuo.Audio.WavFile.Read(PathOf("plain.wav")).Samples, Perpetuo.Audio.WavFile.Read(PathOf("out.wav")).Samples) >= 0,
                    "the slider changed nothing that can be heard");
    }

    [BrowserFact]
    public void KillingTheHeardWorkerShowsTheFailoverWithinASecondAndTheRecordingStaysTheReference()
    {
        string osc = $"127.0.0.1:{Tools.FreeUdpPort()}";
        using IntegrationTests.Perpetuo play = Play(osc, "--output", "wav:out.wav", "--ring-depth", HitlessDepth);
        using BrowserSession browser = BrowserSession.Start(PrintedAddress.Of(play));
        browser.Do(new { cmd = "open", width = 1280, height = 900 });
        int pid = Engine.ActivePidWithStandby(osc, TimeSpan.FromSeconds(20)) ?? throw new Xunit.Sdk.XunitException("no standby");
        browser.Send(new { cmd = "failover", timeout = 5000 });
        Thread.Sleep(300); // the driver has counted the failovers shown so far
        var clock = Stopwatch.StartNew();
        Signals.Send(pid, Signals.SIGKILL);
        JsonElement seen = browser.Answer();
        TimeSpan shown = clock.Elapsed;

        Assert.True(shown < TimeSpan.FromSeconds(1), $"the failover was shown {shown.TotalMilliseconds:0} ms after the kill");
        Assert.Contains("nothing was heard", seen.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Contains("Failover", seen.GetProperty("banner").GetString(), StringComparison.Ordinal);
        JsonElement slots = browser.Do(new { cmd = "slots" }).GetProperty("slots");
        Assert.Equal(2, slots.GetArrayLength());
        browser.Do(new { cmd = "screenshot", path = PathOf("failover.png") });
        Engine.ActivePidWithStandby(osc, TimeSpan.FromSeconds(20)); // the killed slot is back, verified
        string seconds = Stop(play);
        Assert.Contains(" 0 underruns", play.Stderr, StringComparison.Ordinal);
        var render = IntegrationTests.Perpetuo.Run(_dir.FullName, TimeSpan.FromSeconds(60), "render", "--seconds", seconds, "--out", "ref.wav");
        Assert.True(render.Code == 0, render.Stderr);
        Wav.AssertIdentical(PathOf("ref.wav"), PathOf("out.wav"));
    }

    [BrowserFact]
    public void APluginFoundInTheListIsAddedToTheChain()
    {
        // Only the plate's bundle is read (LV2_PATH, inherited by the scans of play and of perpetuo web): what this test
        // checks is the page's list, not every plugin this machine may have (scanning those is Perpetuo.Lv2.Tests').
        const string Plate = "/usr/lib/lv2/plate-swh.lv2";
        Assert.True(Directory.Exists(Plate), "swh-lv2 is not installed (.ci/run installs it)");
        Directory.CreateDirectory(PathOf("lv2"));
        Directory.CreateSymbolicLink(PathOf("lv2/plate-swh.lv2"), Plate);
        string osc = $"127.0.0.1:{Tools.FreeUdpPort()}";
        using IntegrationTests.Perpetuo play = IntegrationTests.Perpetuo.StartWithEnvironment(_dir.FullName, new Dictionary<string, string> { ["LV2_PATH"] = PathOf("lv2") },
            "play", "--osc", osc, "--web", "127.0.0.1:0", "--quiet", "--output", "null", "--plugins");
        using BrowserSession browser = BrowserSession.Start(PrintedAddress.Of(play));
        browser.Do(new { cmd = "open", width = 1280, height = 900 });

        JsonElement added = browser.Do(new { cmd = "add", query = "plate reverb" });

        Assert.Equal("lv2:http://plugin.org.uk/swh-plugins/plate", added.GetProperty("type").GetString());
        string id = added.GetProperty("module").GetString()!;
        using JsonDocument modules = JsonDocument.Parse(Modules(osc));
        JsonElement plate = modules.RootElement.EnumerateArray().Last();
        Assert.Equal((id, "lv2:http://plugin.org.uk/swh-plugins/plate"), (plate.GetProperty("id").GetString(), plate.GetProperty("type").GetString()));
        Assert.Contains(plate.GetProperty("params").EnumerateArray(), p => p.GetProperty("name").GetString() == "time");
    }

    [BrowserFact]
    public void TheSavedSessionStartsANewEngineWithTheSameChainAndTheSameSound()
    {
        Directory.CreateDirectory(PathOf("patches"));
        string osc = $"127.0.0.1:{Tools.FreeUdpPort()}";
        string modulesThen;
        using (IntegrationTests.Perpetuo play = Play(osc, "--output", "null", "--patch-dir", "patches"))
        {
            using BrowserSession browser = BrowserSession.Start(PrintedAddress.Of(play));
            browser.Do(new { cmd = "open", width = 1280, height = 900 });
            float sent = (float)browser.Do(new { cmd = "slider", module = "filter", param = "resonance", value = 0.8 }).GetProperty("sent").GetDouble();
            WaitUntil(() => ModuleValue(osc, "filter", "resonance") == sent, "the resonance reached the engine");
            JsonElement saved = browser.Do(new { cmd = "save", name = "stage" });
            Assert.False(saved.GetProperty("bad").GetBoolean(), saved.GetRawText());
            Assert.Contains("as \"stage.json\"", saved.GetProperty("toast").GetString(), StringComparison.Ordinal);
            modulesThen = Modules(osc);
        }
        Assert.Contains("0.8", File.ReadAllText(PathOf("patches/stage.json")), StringComparison.Ordinal);
        string osc2 = $"127.0.0.1:{Tools.FreeUdpPort()}";
        using (IntegrationTests.Perpetuo again = IntegrationTests.Perpetuo.Start(_dir.FullName, "play", "--patch", "patches/stage.json", "--output", "wav:again.wav",
                                                                                  "--seconds", "3", "--osc", osc2, "--quiet"))
        {
            Engine.Status(osc2, TimeSpan.FromSeconds(30));
            Assert.Equal(modulesThen, Modules(osc2));
            Assert.Equal(0, again.WaitForExit(TimeSpan.FromSeconds(60)));
        }
        var render = IntegrationTests.Perpetuo.Run(_dir.FullName, TimeSpan.FromSeconds(60), "render", "--patch", "patches/stage.json", "--seconds", "3", "--out", "render.wav");
        Assert.True(render.Code == 0, render.Stderr);
        Wav.AssertIdentical(PathOf("render.wav"), PathOf("again.wav"));
    }

    /// <summary>
    /// Stops play as Ctrl+C would (SIGTERM: it finishes its WAV) and returns the seconds it recorded, for a render of
    /// exactly as many frames. Play runs until then rather than for a fixed time: on a loaded machine a browser's
    /// start can take longer than any fixed time chosen.
    /// </summary>
    private string Stop(IntegrationTests.Perpetuo play)
    {
        Signals.Send(play.Process.Id, 15);
        Assert.Equal(0, play.WaitForExit(TimeSpan.FromSeconds(60)));
        Perpetuo.Audio.WavFile wav = Perpetuo.Audio.WavFile.Read(PathOf("out.wav"));
        return ((double)(wav.Samples.Length / wav.Channels) / wav.SampleRate).ToString("R", System.Globalization.CultureInfo.InvariantCulture);
    }

    private IntegrationTests.Perpetuo Play(string osc, params string[] args) =>
        IntegrationTests.Perpetuo.Start(_dir.FullName, ["play", "--osc", osc, "--web", "127.0.0.1:0", "--quiet", .. args]);


    private string Modules(string osc)
    {
        var r = IntegrationTests.Perpetuo.Run(_dir.FullName, TimeSpan.FromSeconds(30), "modules", "--json", "--osc", osc);
        Assert.True(r.Code == 0, r.Stderr);
        return r.Stdout;
    }

    private float? ModuleValue(string osc, string module, string param)
    {
        using JsonDocument doc = JsonDocument.Parse(Modules(osc));
        JsonElement m = doc.RootElement.EnumerateArray().First(x => x.GetProperty("id").GetString() == module);
        return m.GetProperty("params").EnumerateArray().First(p => p.GetProperty("name").GetString() == param).GetProperty("value").GetSingle();
    }

    private static void WaitUntil(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), "timed out: " + what);
            Thread.Sleep(100);
        }
    }
}
