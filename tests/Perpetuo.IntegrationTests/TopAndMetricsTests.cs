using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Perpetuo.IntegrationTests;

/// <summary>`perpetuo top` and `play --metrics` watching a real engine while a real worker is SIGKILLed.</summary>
public sealed partial class TopAndMetricsTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("perpetuo-it-");

    [Fact]
    public void TopShowsEverySlotWithPidsAndRolesAndAfterTheActiveWorkerIsKilledAFailoverAndANewPid()
    {
        string osc = $"127.0.0.1:{Tools.FreeUdpPort()}";
        using Perpetuo play = Perpetuo.Start(_dir.FullName, "play", "--output", "null", "--osc", osc, "--quiet");
        JsonElement status = WaitForStatus(osc, s => Roles(s).Order().SequenceEqual(["active", "standby", "trailing"]), play);
        int[] pids = [.. status.GetProperty("slots").EnumerateArray().Select(x => x.GetProperty("pid").GetInt32())];

        var top = Perpetuo.Run(_dir.FullName, Patience, "top", "--once", "--osc", osc);
        Assert.True(top.Code == 0, top.Stderr + top.Stdout);
        Dictionary<int, (int Pid, string Role)> rows = SlotRows(top.Stdout);
        Assert.Equal([0, 1, 2], rows.Keys.Order());
        Assert.Equal(pids.Order(), rows.Values.Select(r => r.Pid).Order());
        Assert.Equal(["active", "standby", "trailing"], rows.Values.Select(r => r.Role).Order());
        Assert.Contains("recent events", top.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"checkpoint none yet \(a worker with no survivor replays from block 0\)\s+command log holds \d+", top.Stdout);
        Assert.Contains("quarantined none", top.Stdout, StringComparison.Ordinal);

        int killed = pids[status.GetProperty("active_slot").GetInt32()];
        Signals.Send(killed, Signals.SIGKILL);
        WaitForStatus(osc, s => s.GetProperty("failovers").GetInt64() >= 1 && !Pids(s).Contains(killed) && Pids(s).All(p => p > 0), play);

        var after = Perpetuo.Run(_dir.FullName, Patience, "top", "--once", "--osc", osc);
        Assert.True(after.Code == 0, after.Stderr + after.Stdout);
        Assert.True(Failovers(after.Stdout) >= 1, after.Stdout);
        Dictionary<int, (int Pid, string Role)> now = SlotRows(after.Stdout);
        Assert.Equal(3, now.Count);
        Assert.DoesNotContain(killed, now.Values.Select(r => r.Pid));
        Assert.Contains(now.Values, r => r.Role == "active");
    }

    [Fact]
    public void TopWithoutAnEngineSaysSoAndFails()
    {
        var top = Perpetuo.Run(_dir.FullName, Patience, "top", "--once", "--osc", $"127.0.0.1:{Tools.FreeUdpPort()}", "--timeout", "0.3");
        Assert.Equal(1, top.Code);
        Assert.Contains("no reply", top.Stdout + top.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MetricsServesThePerpetuoCountersAndTheFailoverAndRestartCountersMoveWhenAWorkerIsKilled()
    {
        string osc = $"127.0.0.1:{Tools.FreeUdpPort()}";
        int port = Tools.FreeTcpPort();
        using Perpetuo play = Perpetuo.Start(_dir.FullName, "play", "--output", "null", "--osc", osc, "--metrics", $"127.0.0.1:{port}");
        JsonElement status = WaitForStatus(osc, s => Roles(s).Contains("active") && Roles(s).Contains("standby"), play);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(10) };

        string text = await http.GetStringAsync(new Uri("metrics", UriKind.Relative));
        foreach (string name in new[] { "perpetuo_blocks_played_total", "perpetuo_underruns_total", "perpetuo_failovers_total",
                                        "perpetuo_restarts_total", "perpetuo_resyncs_total", "perpetuo_divergences_total",
                                        "perpetuo_commands_accepted_total", "perpetuo_gc_collections_total",
                                        "perpetuo_callback_duration_seconds_count", "process_cpu_seconds_total" })
        {
            Assert.True(Sample(text, name) >= 0, $"{name} missing from:\n{text}");
        }
        Assert.True(Sample(text, "perpetuo_blocks_played_total") > 0, text);
        Assert.True(Sample(text, "perpetuo_callback_duration_seconds_count") > 0, text);
        Assert.Contains("# TYPE perpetuo_failovers_total counter", text, StringComparison.Ordinal);
        Assert.Equal(1, Enumerable.Range(0, 3).Sum(i => Sample(text, $"perpetuo_worker_role{{slot=\"{i}\",role=\"active\"}}")));
        Assert.True(Sample(text, "perpetuo_worker_heartbeat_age_seconds{slot=\"0\"}") >= 0, text);
        Assert.Equal(-1, Sample(text, "perpetuo_checkpoint_block")); // the first one comes after 10 s of audio
        Assert.Contains("\nperpetuo_checkpoint_block -1", text, StringComparison.Ordinal);
        Assert.True(Sample(text, "perpetuo_command_log_held") >= 0, text);
        Assert.Equal(0, Sample(text, "perpetuo_modules_quarantined")); // DeterministicFaultTests sees them move
        Assert.Equal(0, Sample(text, "perpetuo_quarantines_total"));
        double failoversBefore = Sample(text, "perpetuo_failovers_total");
        double restartsBefore = Sample(text, "perpetuo_restarts_total");

        int active = status.GetProperty("active_slot").GetInt32();
        int killed = (int)Sample(text, $"perpetuo_worker_pid{{slot=\"{active}\"}}");
        Assert.Equal(status.GetProperty("slots")[active].GetProperty("pid").GetInt32(), killed);
        Signals.Send(killed, Signals.SIGKILL);

        var sw = Stopwatch.StartNew();
        while (true)
        {
            text = await http.GetStringAsync(new Uri("metrics", UriKind.Relative));
            if (Sample(text, "perpetuo_failovers_total") > failoversBefore && Sample(text, "perpetuo_restarts_total") > restartsBefore)
            {
                break;
            }
            Assert.True(sw.Elapsed < Patience, $"failovers/restarts did not move:\n{text}\n{play.Stderr}");
            await Task.Delay(200);
        }
        Assert.Equal(404, (int)(await http.GetAsync(new Uri("nothing", UriKind.Relative))).StatusCode);
    }

    public void Dispose() => _dir.Delete(recursive: true);

    private static JsonElement WaitForStatus(string osc, Func<JsonElement, bool> ready, Perpetuo play)
    {
        var sw = Stopwatch.StartNew();
        string last = "";
        while (sw.Elapsed < Patience)
        {
            Assert.False(play.Process.HasExited, $"play exited: {play.Stderr}");
            var r = Perpetuo.Run(play.Process.StartInfo.WorkingDirectory, Patience, "status", "--json", "--osc", osc, "--timeout", "1");
            if (r.Code == 0)
            {
                last = r.Stdout;
                JsonElement s = JsonDocument.Parse(r.Stdout).RootElement.Clone();
                if (ready(s))
                {
                    return s;
                }
            }
            Thread.Sleep(200);
        }
        throw new TimeoutException($"status never became ready; last: {last}\nstderr: {play.Stderr}");
    }

    private static IEnumerable<string> Roles(JsonElement s) => s.GetProperty("slots").EnumerateArray().Select(x => x.GetProperty("role").GetString()!);

    private static IEnumerable<int> Pids(JsonElement s) => s.GetProperty("slots").EnumerateArray().Select(x => x.GetProperty("pid").GetInt32());

    /// <summary>The slot table rows of a top frame: slot, role, pid are its first three columns.</summary>
    private static Dictionary<int, (int Pid, string Role)> SlotRows(string frame) =>
        SlotRow().Matches(frame).ToDictionary(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture),
                                              m => (int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture), m.Groups[2].Value));

    private static long Failovers(string frame) => long.Parse(FailoversField().Match(frame).Groups[1].Value, CultureInfo.InvariantCulture);

    /// <summary>The value of one sample line (exact name and labels), or -1 when absent.</summary>
    internal static double Sample(string text, string series)
    {
        foreach (string line in text.Split('\n'))
        {
            if (line.StartsWith(series + " ", StringComparison.Ordinal))
            {
                return double.Parse(line[(series.Length + 1)..], CultureInfo.InvariantCulture);
            }
        }
        return double.NaN; // absent: fails every comparison, so no assertion passes on a missing series
    }

    [GeneratedRegex(@"^\s+([01])\s+(active|standby|starting|resyncing|backoff|faulty|dead)\s+(\d+)\s", RegexOptions.Multiline)]
    private static partial Regex SlotRow();

    [GeneratedRegex(@"failovers (\d+)")]
    private static partial Regex FailoversField();
}
