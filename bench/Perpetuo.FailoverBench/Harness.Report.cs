using System.Globalization;
using System.Text.Json;

namespace Perpetuo.FailoverBench;

// Figures from the events file, and the sample-for-sample verdict.
internal sealed partial class Harness
{
    private int Report(string stderr, CommandStream commands)
    {
        var events = File.ReadLines(Path.Combine(o.WorkDir, "events.jsonl"))
            .Select(l => JsonDocument.Parse(l).RootElement.Clone())
            .Select(e => (Kind: e.GetProperty("event").GetString()!, At: e.GetProperty("ts").GetDateTime().ToUniversalTime(), E: e))
            .ToList();
        var toStandby = new List<double>();
        foreach (var (at, pid) in _kills.Concat(_hangs))
        {
            var resynced = events.FirstOrDefault(e => e.Kind == "resynced" && e.At > at);
            if (resynced.Kind != null)
            {
                toStandby.Add((resynced.At - at).TotalMilliseconds);
            }
        }
        var hangDetect = new List<double>();
        foreach (var (at, pid) in _hangs)
        {
            var hung = events.FirstOrDefault(e => e.Kind == "hung" && e.At > at && e.E.GetProperty("pid").GetInt32() == pid);
            if (hung.Kind != null)
            {
                hangDetect.Add((hung.At - at).TotalMilliseconds);
            }
        }
        Console.WriteLine($"faults: {_kills.Count} SIGKILL, {_hangs.Count} SIGSTOP; events: {Count(events, "failover")} failovers, " +
                          $"{Count(events, "respawned")} respawns, {Count(events, "resynced")} verified standbys, {Count(events, "hung")} hangs detected, " +
                          $"{Underruns(events)} underruns");
        Console.WriteLine($"kill to verified standby: {Stats(toStandby)}");
        Console.WriteLine($"hang detection (SIGSTOP to 'hung'): {Stats(hangDetect)}");
        // Command lines: the first line is the session (its rate, block, patch), not a command.
        int journaled = File.ReadLines(Path.Combine(o.WorkDir, "journal.jsonl")).Count(l => !l.StartsWith("{\"kind\":\"session\"", StringComparison.Ordinal));
        long gcs = _lastStatus.GetProperty("gc_collections").GetInt64();
        long accepted = _lastStatus.GetProperty("commands_accepted").GetInt64();
        long allocated = _lastStatus.GetProperty("allocated_bytes").GetInt64();
        Console.WriteLine($"commands: {commands.Sent} sent, {commands.Done} done, {commands.Errors} refused, {accepted} accepted (status), {journaled} journaled; " +
                          $"supervisor GCs since start: {gcs}, allocated {allocated / 1024.0 / 1024.0:0.0} MiB" +
                          (accepted > 0 ? $" ({allocated / (double)accepted:0} B per command, all threads)" : ""));
        bool identical = FilesIdentical(Path.Combine(o.WorkDir, "out.wav"), Path.Combine(o.WorkDir, "ref.wav"));
        Console.WriteLine(identical ? "output: identical to `perpetuo render --journal`, sample for sample" : "output: DIFFERS from `perpetuo render --journal`");
        bool ok = identical && Underruns(events) == 0 && stderr.Contains(" 0 underruns", StringComparison.Ordinal)
                  && toStandby.Count == _kills.Count + _hangs.Count && hangDetect.Count == _hangs.Count
                  && journaled == accepted && commands.Done == commands.Sent && gcs == 0;
        Console.WriteLine(ok ? "RESULT ok" : "RESULT failed");
        return ok ? 0 : 1;
    }

    private static int Count(List<(string Kind, DateTime At, JsonElement E)> events, string kind) => events.Count(e => e.Kind == kind);

    // A run of underruns is one "underrun" line, then "underruns" summaries carrying a count (docs/protocol.md).
    private static long Underruns(List<(string Kind, DateTime At, JsonElement E)> events) =>
        Count(events, "underrun") + events.Where(e => e.Kind == "underruns").Sum(e => e.E.GetProperty("count").GetInt64());

    private static string Stats(List<double> ms)
    {
        if (ms.Count == 0)
        {
            return "n/a";
        }
        ms.Sort();
        return string.Create(CultureInfo.InvariantCulture, $"median {ms[ms.Count / 2]:0.0} ms, max {ms[^1]:0.0} ms (n={ms.Count})");
    }

    private static bool FilesIdentical(string a, string b)
    {
        byte[] x = File.ReadAllBytes(a), y = File.ReadAllBytes(b);
        return x.AsSpan().SequenceEqual(y);
    }
}
