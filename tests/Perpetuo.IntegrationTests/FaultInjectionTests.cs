using System.Net;
using Perpetuo.Cli;
using Perpetuo.Control.Osc;

namespace Perpetuo.IntegrationTests;

/// <summary>Garbage, stalls and crashes injected into real workers over OSC (play --allow-fault-injection).</summary>
public sealed class FaultInjectionTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("perpetuo-it-");

    private string PathOf(string name) => Path.Combine(_dir.FullName, name);

    [Fact]
    public void NanBlocksACorruptHeaderAStallAndACrashFromWorkersAreReplacedWithoutChangingTheOutput()
    {
        var render = Perpetuo.Run(_dir.FullName, TimeSpan.FromSeconds(60), "render", "--seconds", "9", "--out", "ref.wav");
        Assert.True(render.Code == 0, render.Stderr);
        string osc = $"127.0.0.1:{Tools.FreeUdpPort()}";
        using Perpetuo play = Perpetuo.Start(_dir.FullName, "play", "--output", "wav:out.wav", "--seconds", "9", "--osc", osc,
                                             "--events", "events.jsonl", "--allow-fault-injection", "--ring-depth", RingDepth.Hitless, "--quiet");
        Engine.Status(osc, TimeSpan.FromSeconds(30));
        using OscClient client = OscClient.Connect(osc);
        foreach (string fault in new[] { "nan", "corrupt", "crash" })
        {
            Assert.NotNull(Engine.ActivePidWithStandby(osc, TimeSpan.FromSeconds(5)));
            int active = Engine.Status(osc, TimeSpan.FromSeconds(5)).GetProperty("active_slot").GetInt32();
            AssertDone(client.Request(new OscMessage("/perpetuo/fault", active, fault), TimeSpan.FromSeconds(2)));
            Thread.Sleep(1200);
        }
        // A slow worker: the standby misses deadlines (40 ms sleeps per block); its blocks come from the active
        // one, and a worker that keeps missing is replaced.
        Assert.NotNull(Engine.ActivePidWithStandby(osc, TimeSpan.FromSeconds(5)));
        int standby = Engine.Standby(Engine.Status(osc, TimeSpan.FromSeconds(5)));
        AssertDone(client.Request(new OscMessage("/perpetuo/fault", standby, "stall", 40f, 100f), TimeSpan.FromSeconds(2)));
        Assert.Equal(0, play.WaitForExit(TimeSpan.FromSeconds(60)));

        var events = new EventsFile(PathOf("events.jsonl"));
        Assert.True(play.Stderr.Contains(" 0 underruns", StringComparison.Ordinal), play.Stderr + "\n" + events.Summary());
        Assert.True(events.Count("faulty") >= 2, "NaN samples and a corrupt header are protocol violations: " + events.Summary());
        Assert.True(events.Count("exited") >= 1, "the crashed worker exited: " + events.Summary());
        Assert.True(events.Count("slow") + events.Count("hung") >= 1, "the stalled worker was replaced: " + events.Summary());
        Assert.True(events.Count("resynced") >= 4, events.Summary());
        Wav.AssertIdentical(PathOf("ref.wav"), PathOf("out.wav"));
    }

    [Fact]
    public void FaultInjectionIsRefusedUnlessPlayAllowsIt()
    {
        string osc = $"127.0.0.1:{Tools.FreeUdpPort()}";
        using Perpetuo play = Perpetuo.Start(_dir.FullName, "play", "--output", "null", "--seconds", "3", "--osc", osc, "--quiet");
        Engine.Status(osc, TimeSpan.FromSeconds(30));
        using OscClient client = OscClient.Connect(osc);
        OscMessage? reply = client.Request(new OscMessage("/perpetuo/fault", 0, "crash"), TimeSpan.FromSeconds(2));
        Assert.NotNull(reply);
        Assert.Equal("/perpetuo/error", reply.Address);
        Assert.Contains("--allow-fault-injection", reply.Arguments[1].AsString(), StringComparison.Ordinal);
        Assert.Equal(0, play.WaitForExit(TimeSpan.FromSeconds(30)));
        Assert.Contains(" 0 restarts", play.Stderr, StringComparison.Ordinal);
    }

    private static void AssertDone(OscMessage? reply)
    {
        Assert.NotNull(reply);
        Assert.True(reply.Address == "/perpetuo/done", reply.ToString());
    }

    public void Dispose() => _dir.Delete(recursive: true);
}
