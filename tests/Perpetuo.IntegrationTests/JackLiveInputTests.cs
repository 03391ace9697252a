using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Perpetuo.Audio.Tests;

namespace Perpetuo.IntegrationTests;

/// <summary>Live input from a real JACK server: input ports, and the round trip jackd2's jack_iodelay measures.</summary>
[Collection(JackCollection.Name)]
public sealed partial class JackLiveInputTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("perpetuo-it-");

    public void Dispose() => _dir.Delete(recursive: true);

    [GeneratedRegex(@"([0-9.]+) frames\s+[0-9.]+ ms total roundtrip latency")]
    private static partial Regex RoundTrip();

    [JackFact]
    public void PlayInputsOneExposesAnInputPortAndTheRoundTripIsOnePeriodPlusTheRingDepthInBlocks()
    {
        const int period = 64, depth = 3;
        File.WriteAllText(Path.Combine(_dir.FullName, "through.json"), """{"modules":[{"type":"input","id":"in"}]}""");
        // Retried only when every xrun jackd logged has a cause outside Perpetuo; a wrong figure without one is ours.
        string? failure = null;
        for (int attempt = 1; attempt <= 3; attempt++)
        {
            using JackServer server = JackServer.Start(48000, period);
            failure = MeasureRoundTrip(server, period, depth, out double? frames);
            if (failure == null && frames == period + (depth * period))
            {
                return;
            }
            failure ??= $"round trip {frames} frames, expected {period} + {depth} x {period}";
            JackXruns xruns = server.Xruns(["jack_delay"]);
            failure = $"attempt {attempt}: {failure}\n{xruns.Describe()}";
            if (!xruns.OnlyOutside)
            {
                break;
            }
        }
        Assert.Fail(failure);
    }

    private string? MeasureRoundTrip(JackServer server, int period, int depth, out double? frames)
    {
        frames = null;
        string osc = $"127.0.0.1:{Tools.FreeUdpPort()}";
        using Perpetuo play = Perpetuo.Start(_dir.FullName, "play", "--patch", "through.json", "--inputs", "1", "--output", "jack", "--no-connect",
                                             "--block", $"{period}", "--ring-depth", $"{depth}", "--no-limiter", "--seconds", "10", "--osc", osc, "--quiet");
        Engine.WaitUntilPlaying(osc);
        (int lsp, string ports) = server.RunTool("jack_lsp");
        Assert.True(lsp == 0 && ports.Contains("perpetuo:in_1", StringComparison.Ordinal), ports);
        Assert.DoesNotContain("perpetuo:in_2", ports, StringComparison.Ordinal);

        using Process iodelay = server.StartClient("stdbuf", "-o0", "jack_iodelay"); // unbuffered: it prints until killed
        Task<string> measured = iodelay.StandardOutput.ReadToEndAsync();
        Thread.Sleep(500);
        Assert.Equal(0, server.RunTool("jack_connect", "jack_delay:out", "perpetuo:in_1").ExitCode);
        Assert.Equal(0, server.RunTool("jack_connect", "perpetuo:out_1", "jack_delay:in").ExitCode);
        Thread.Sleep(3000);
        iodelay.Kill();
        iodelay.WaitForExit(5000);
        Assert.Equal(0, play.WaitForExit(TimeSpan.FromSeconds(60)));

        MatchCollection rounds = RoundTrip().Matches(measured.Result);
        if (rounds.Count == 0)
        {
            return $"jack_iodelay measured nothing:\n{measured.Result}\n{play.Stderr}";
        }
        frames = double.Parse(rounds[^1].Groups[1].Value, CultureInfo.InvariantCulture);
        return null;
    }
}
