using System.Diagnostics;
using Perpetuo.Audio.Tests;

namespace Perpetuo.IntegrationTests;

/// <summary>The whole engine through a real JACK server (dummy backend), recorded by jack_capture.</summary>
[Collection(JackCollection.Name)]
public sealed class JackPlaybackTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("perpetuo-it-");

    private string PathOf(string name) => Path.Combine(_dir.FullName, name);

    [JackFact]
    public void PlayPicksJackByItselfAndTheRecordingAcrossTwoKillsEqualsTheRenderSampleForSample()
    {
        var render = Perpetuo.Run(_dir.FullName, TimeSpan.FromSeconds(60), "render", "--seconds", "12", "--out", "ref.wav");
        Assert.True(render.Code == 0, render.Stderr);
        // Retried only when every xrun jackd logged has a cause outside Perpetuo (its own driver, jack_capture);
        // a mismatch with no xrun, or with one jackd blames on the engine's client, is ours: fail now.
        string? lastFailure = null;
        for (int attempt = 1; attempt <= 5; attempt++)
        {
            using JackServer server = JackServer.Start(48000, 256, synchronous: true); // the recording is the evidence
            lastFailure = PlayRecordAndCompare(server);
            if (lastFailure == null)
            {
                return;
            }
            JackXruns xruns = server.Xruns(JackServer.ForeignClients);
            lastFailure = $"attempt {attempt}: {lastFailure}\n{xruns.Describe()}";
            if (!xruns.OnlyOutside)
            {
                break;
            }
        }
        Assert.Fail(lastFailure);
    }

    private string? PlayRecordAndCompare(JackServer server)
    {
        string osc = $"127.0.0.1:{Tools.FreeUdpPort()}";
        File.Delete(PathOf("rec.wav"));
        using Perpetuo play = Perpetuo.Start(_dir.FullName, "play", "--seconds", "12", "--osc", osc, "--events", "events.jsonl", "--ring-depth", RingDepth.Hitless, "--quiet");
        // The control port answers while the workers start; record only once the output is playing (and connected
        // to both playback ports), or the recording begins with silence and one channel before the other.
        Engine.WaitUntilPlaying(osc);
        Assert.Contains("jack", play.Stderr, StringComparison.OrdinalIgnoreCase);
        using Process capture = server.StartCapture(PathOf("rec.wav"), 7);
        Thread.Sleep(1500);
        var killed = new HashSet<int>();
        for (int i = 0; i < 2; i++)
        {
            int? pid = Engine.ActivePidWithStandby(osc, TimeSpan.FromSeconds(5));
            Assert.NotNull(pid);
            Signals.Send(pid.Value, Signals.SIGKILL);
            killed.Add(pid.Value);
            Thread.Sleep(2000);
        }
        int kills = killed.Count; // 2 only if the second kill hit the worker that took over, not the dead one again
        Assert.True(capture.WaitForExit(30_000), "jack_capture did not finish");
        Assert.Equal(0, play.WaitForExit(TimeSpan.FromSeconds(60)));
        Assert.Equal(2, kills);
        Assert.True(new EventsFile(PathOf("events.jsonl")).Count("failover") >= 2);

        var reference = Audio.WavFile.Read(PathOf("ref.wav"));
        var recording = Audio.WavFile.Read(PathOf("rec.wav"));
        string? mismatch = Align.CompareRecording(reference.Samples, recording.Samples, 2, minFrames: 48000 * 5);
        bool underruns = !play.Stderr.Contains(" 0 underruns", StringComparison.Ordinal);
        return mismatch == null && !underruns ? null : $"{mismatch}\n{play.Stderr}\njackd:\n{server.Log}";
    }

    public void Dispose() => _dir.Delete(recursive: true);
}
