using System.Text;
using System.Text.Json;
using Perpetuo.Cli;
using Perpetuo.Control.Commands;
using Perpetuo.Control.Osc;

namespace Perpetuo.IntegrationTests;

/// <summary>
/// The engine's side of `perpetuo web` on a real engine: the allocation-free /perpetuo/levels, the numbered
/// /perpetuo/events, and /perpetuo/patch/current, whose patch builds the same graph and render in a new engine.
/// </summary>
public sealed class PageQueriesTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("perpetuo-it-");

    private string PathOf(string name) => Path.Combine(_dir.FullName, name);

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public void LevelsShowEverySlotAndChannelAndPollingThemAllocatesNothingInTheAudioProcess()
    {
        string osc = $"127.0.0.1:{Tools.FreeUdpPort()}";
        using Perpetuo play = Perpetuo.Start(_dir.FullName, "play", "--output", "null", "--osc", osc, "--channels", "3", "--quiet");
        Engine.WaitUntilPlaying(osc);
        using OscClient client = OscClient.Connect(osc);
        OscMessage levels = Levels(client);
        Assert.Equal(2, levels.Arguments[10].AsInt32()); // slots
        Assert.Contains(levels.Arguments[11].AsString(), new[] { "active", "standby", "starting", "resyncing" });
        int channels = levels.Arguments[11 + (6 * 2)].AsInt32();
        Assert.Equal(3, channels);
        Assert.True(levels.Arguments.Skip(12 + (6 * 2)).Any(a => a.AsFloat() > 0.01f), $"no peak in {levels}");

        // 2,000 polls (~100 s of a page at 20 Hz) against what one status costs.
        long before = Allocated(osc);
        long oneStatus = Allocated(osc) - before;
        before = Allocated(osc);
        for (int i = 0; i < 2_000; i++)
        {
            Levels(client);
        }
        JsonElement status = Engine.Status(osc, TimeSpan.FromSeconds(5));
        long allocated = status.GetProperty("allocated_bytes").GetInt64() - before - oneStatus;
        Assert.Equal(0, status.GetProperty("gc_collections").GetInt64());
        // GetTotalAllocatedBytes moves in allocation contexts of ~8 KB: the engine's own idle work (its status) and
        // that rounding are what may show; 2,000 status requests would be ~7 MB.
        Assert.True(allocated < 64 * 1024, $"{allocated} B allocated by the audio process for 2,000 levels requests");
    }

    [Fact]
    public void EventsAreNumberedLinesOfTheEventsFile()
    {
        string osc = $"127.0.0.1:{Tools.FreeUdpPort()}";
        using Perpetuo play = Perpetuo.Start(_dir.FullName, "play", "--output", "null", "--osc", osc, "--events", "events.jsonl", "--quiet");
        Engine.WaitUntilPlaying(osc);
        using OscClient client = OscClient.Connect(osc);
        OscMessage events = client.Request(new OscMessage(ControlAddresses.Events, 0L), TimeSpan.FromSeconds(5))!;
        long newest = events.Arguments[0].AsInt64();
        Assert.Equal(1, events.Arguments[1].AsInt64());
        Assert.True(newest >= 2, events.ToString()); // both workers started
        string[] file = File.ReadAllLines(PathOf("events.jsonl"));
        Assert.Equal(file.Take(events.Arguments.Count - 2), events.Arguments.Skip(2).Select(a => a.AsString()));
        Assert.Equal(newest, Levels(client).Arguments[5].AsInt64());
    }

    [Fact]
    public void TheCurrentPatchStartsANewEngineWithTheSameGraphAndTheSameSound()
    {
        string osc = $"127.0.0.1:{Tools.FreeUdpPort()}";
        using (Perpetuo play = Perpetuo.Start(_dir.FullName, "play", "--output", "null", "--osc", osc, "--quiet"))
        {
            Engine.WaitUntilPlaying(osc);
            using OscClient client = OscClient.Connect(osc);
            Engine.Accept(client, new OscMessage(ControlAddresses.Param, "filter", "cutoff", 733.25f));
            Engine.Accept(client, new OscMessage(ControlAddresses.ModuleAdd, "gain", "post", "gain", 0.625f));
            Engine.Accept(client, new OscMessage(ControlAddresses.Param, "filter", "resonance", 0.3f, 2f)); // a ramp: its target
            File.WriteAllText(PathOf("saved.json"), CurrentPatch(client));
            File.WriteAllText(PathOf("modules.json"), Modules(osc));
        }
        string osc2 = $"127.0.0.1:{Tools.FreeUdpPort()}";
        using (Perpetuo again = Perpetuo.Start(_dir.FullName, "play", "--patch", "saved.json", "--output", "wav:again.wav", "--seconds", "2",
                                               "--osc", osc2, "--quiet"))
        {
            Engine.Status(osc2, TimeSpan.FromSeconds(30));
            Assert.Equal(File.ReadAllText(PathOf("modules.json")), Modules(osc2));
            Assert.Equal(0, again.WaitForExit(TimeSpan.FromSeconds(60)));
        }
        var render = Perpetuo.Run(_dir.FullName, TimeSpan.FromSeconds(60), "render", "--patch", "saved.json", "--seconds", "2", "--out", "render.wav");
        Assert.True(render.Code == 0, render.Stderr);
        Wav.AssertIdentical(PathOf("render.wav"), PathOf("again.wav"));
    }

    private static OscMessage Levels(OscClient client) =>
        client.Request(new OscMessage(ControlAddresses.Levels), TimeSpan.FromSeconds(5)) ?? throw new Xunit.Sdk.XunitException("no levels reply");

    private static long Allocated(string osc) => Engine.Status(osc, TimeSpan.FromSeconds(5)).GetProperty("allocated_bytes").GetInt64();

    private string Modules(string osc)
    {
        var r = Perpetuo.Run(_dir.FullName, TimeSpan.FromSeconds(30), "modules", "--json", "--osc", osc);
        Assert.True(r.Code == 0, r.Stderr);
        return r.Stdout;
    }

    /// <summary>Every part of /perpetuo/patch/current, joined, checked against the whole's hash.</summary>
    private static string CurrentPatch(OscClient client)
    {
        var text = new StringBuilder();
        int parts = 1;
        int hash = 0;
        for (int p = 0; p < parts; p++)
        {
            OscMessage part = client.Request(new OscMessage(ControlAddresses.PatchCurrent, p), TimeSpan.FromSeconds(5))!;
            Assert.Equal(ControlAddresses.PatchCurrent, part.Address);
            (parts, hash) = (part.Arguments[1].AsInt32(), part.Arguments[2].AsInt32());
            text.Append(part.Arguments[3].AsString());
        }
        Assert.Equal(hash, unchecked((int)Control.Patches.PatchFile.Hash(text.ToString())));
        return text.ToString();
    }
}
