using System.Collections.Concurrent;
using System.Diagnostics;
using Perpetuo.Protocol;

namespace Perpetuo.Cli;

/// <summary>
/// Checks LV2 plugins where their faults cost only themselves: in child processes (<see cref="PluginCheckChild"/>),
/// each plugin bounded in time (<see cref="Limits.PluginCheckTime"/>). A plugin that crashes, aborts, exits or hangs
/// while it is instantiated, activated or run is reported as such ("crashes when instantiated (SIGSEGV)") and the
/// next child goes on with the plugins after it: every other plugin is checked and playable.
/// </summary>
/// <remarks>
/// Design: one child checks plugin after plugin and says before each step what it is about to do, so a crash costs
/// one process start, not one per plugin (clap-validator runs every test in a process of its own; mod-host's scan of
/// ~950 LV2 plugins found three that crash at load). Two such runs, the second with glibc's MALLOC_PERTURB_ (fresh
/// allocations filled with a pattern) and the stack under each run filled with it too, must agree on each plugin's
/// output, both instances of it: a plugin that reads memory it never wrote plays differently there (swh chebstortion
/// agreed with itself in one process, and differed from a process whose heap was laid out otherwise). A child's own output (a plugin's printf) is drained and bounded, never parsed.
/// Any thread but the audio process's control thread: it waits for processes.
/// </remarks>
internal static class PluginCheck
{
    /// <summary>What the check found for one plugin.</summary>
    /// <param name="Replicable">It can run in Perpetuo's workers.</param>
    /// <param name="Reason">Why not, in words a musician understands ("" when it can).</param>
    /// <param name="Hash">The hashes of its four instances' outputs in the check (hex, comma-separated; "0" when it did
    /// not run): the same in every process for a replicable plugin.</param>
    public sealed record Outcome(bool Replicable, string Reason, string Hash)
    {
        /// <summary>The SHA-256 of the plugin's library file as the check found it (hex; "-" unreadable, "" not reached).</summary>
        public string Library { get; init; } = "";

        /// <summary>Its presets, as the check's child read them from their data (no plugin code runs for them).</summary>
        public IReadOnlyList<PresetJson> Presets { get; init; } = [];

        /// <summary>The latency it reported (lv2:reportsLatency) after the check with its controls at their defaults, in frames.</summary>
        public float Latency { get; init; }

        /// <summary>
        /// Replicable only with its controls at their defaults: two processes agreed while its controls stayed there and
        /// differed once they were moved (it recomputes its sound on a thread of its own: synthv1). Hosted with no
        /// parameters: it is played, never tweaked.
        /// </summary>
        public bool FixedParameters { get; init; }

        /// <summary>
        /// Its instances in one process played differently, alike in both processes: it keeps state outside its
        /// instance (a process-wide random generator). Hosted: every replica runs it in a process of its own with the
        /// same history.
        /// </summary>
        public bool SharesState { get; init; }
    }

    private const string PerturbedReason =
        "two processes running it on the same input played different sounds (it reads memory it never wrote, or its " +
        "sound depends on timing: threads of its own), so the two workers and the reference render could not be kept identical";

    /// <summary>
    /// Checks <paramref name="uris"/> in two runs of child processes (plain, and with MALLOC_PERTURB_ and a dirtied
    /// stack), in parallel: replicable when both ran it and gave the same two hashes.
    /// </summary>
    /// <param name="uris">The plugins.</param>
    /// <param name="perPlugin">The longest one plugin's check may take (<see cref="Limits.PluginCheckTime"/> unless a test says).</param>
    public static Dictionary<string, Outcome> Run(IReadOnlyCollection<string> uris, TimeSpan? perPlugin = null)
    {
        ArgumentNullException.ThrowIfNull(uris);
        TimeSpan limit = perPlugin ?? Limits.PluginCheckTime;
        Task<Dictionary<string, Outcome>> plain = Task.Run(() => RunOnce(uris, perturb: false, limit));
        Task<Dictionary<string, Outcome>> perturbed = Task.Run(() => RunOnce(uris, perturb: true, limit));
        Task.WaitAll(plain, perturbed);
        var merged = new Dictionary<string, Outcome>(StringComparer.Ordinal);
        foreach ((string uri, Outcome a) in plain.Result)
        {
            merged[uri] = Merge(a, perturbed.Result[uri]);
        }
        return merged;
    }

    /// <summary>
    /// One plugin's outcome from the plain process and the perturbed one: replicable when every instance agreed across
    /// them; with fixed parameters when only the instances at their defaults did.
    /// </summary>
    internal static Outcome Merge(Outcome plain, Outcome perturbed)
    {
        if (!plain.Replicable || !perturbed.Replicable)
        {
            return plain.Replicable ? perturbed : plain;
        }
        string[] a = plain.Hash.Split(',');
        string[] b = perturbed.Hash.Split(',');
        if (a.Length != 4 || b.Length != 4)
        {
            return plain with { Replicable = false, Reason = "its check's report could not be read" };
        }
        bool defaults = a[0] == b[0] && a[2] == b[2];
        bool moved = a[1] == b[1] && a[3] == b[3];
        return !defaults ? plain with { Replicable = false, Reason = PerturbedReason }
            : plain with { FixedParameters = !moved, SharesState = a[0] != a[2] || (moved && a[1] != a[3]) };
    }

    /// <summary>One run: as many children as it takes to get an outcome for every plugin.</summary>
    internal static Dictionary<string, Outcome> RunOnce(IReadOnlyCollection<string> uris, bool perturb, TimeSpan perPlugin)
    {
        var results = new Dictionary<string, Outcome>(StringComparer.Ordinal);
        List<string> remaining = [.. uris.Distinct(StringComparer.Ordinal)];
        while (remaining.Count > 0)
        {
            int before = results.Count;
            string? failure = CheckInOneChild(remaining, perturb, perPlugin, results);
            if (results.Count == before)
            {
                // The child died or stopped before it began on any plugin: no plugin is to blame, and none can be checked.
                string why = $"the plugin check could not run: {failure ?? "its process ended without a word"}";
                foreach (string uri in remaining)
                {
                    results[uri] = new Outcome(false, why, "0");
                }
            }
            remaining.RemoveAll(results.ContainsKey);
        }
        return results;
    }

    /// <summary>
    /// Checks <paramref name="uris"/> in order in one child until it finishes them or dies or hangs in one (which is
    /// then given its outcome). Returns what went wrong outside any plugin, or null.
    /// </summary>
    private static string? CheckInOneChild(List<string> uris, bool perturb, TimeSpan perPlugin, Dictionary<string, Outcome> results)
    {
        ProcessStartInfo psi = SelfProcess.StartInfo("plugins", PluginCheckChild.Option, "--nice", "19");
        if (perturb)
        {
            psi.Environment["MALLOC_PERTURB_"] = "165";
        }
        using Process child = Process.Start(psi) ?? throw new InvalidOperationException("could not start the plugin check");
        var lines = new BlockingCollection<string?>();
        Task reading = Task.Run(() => Read(child.StandardOutput, lines));
        Task<string> output = Task.Run(() => Drain(child.StandardError));
        Task writing = Task.Run(() => Write(child.StandardInput, uris));
        string? current = null;
        string library = "";
        var presets = new List<PresetJson>();
        string phase = "loaded";
        var clock = Stopwatch.StartNew();
        TimeSpan deadline = Limits.PluginDescribeTime; // for the child to start and load the plugins' data, then per plugin
        try
        {
            while (true)
            {
                TimeSpan left = deadline - clock.Elapsed;
                if (left < TimeSpan.Zero || !lines.TryTake(out string? line, left))
                {
                    Kill(child);
                    if (current == null)
                    {
                        return "it stopped answering before it began a plugin";
                    }
                    results[current] = new Outcome(false, $"hangs when {Participle(phase)} (no answer in {perPlugin.TotalSeconds:0.#} s)", "0") { Library = library, Presets = [.. presets] };
                    return null;
                }
                if (line == null)
                {
                    child.WaitForExit();
                    if (current != null)
                    {
                        results[current] = new Outcome(false, $"{Death(child.ExitCode)} when {Participle(phase)}", "0") { Library = library, Presets = [.. presets] };
                        return null;
                    }
                    return child.ExitCode == 0 ? null : $"{Death(child.ExitCode)}: {FirstLine(output)}";
                }
                (string verb, string rest) = Split(line);
                switch (verb)
                {
                    case "begin":
                        current = rest;
                        library = "";
                        presets.Clear();
                        phase = "loaded";
                        deadline = clock.Elapsed + perPlugin;
                        break;
                    case "phase":
                        phase = rest;
                        break;
                    case "library":
                        library = rest;
                        break;
                    case "preset" when presets.Count < Limits.PluginPresets && PresetLine.TryParse(rest) is { } preset:
                        presets.Add(preset);
                        break;
                    case "done" when current != null:
                        results[current] = Done(rest) with { Library = library, Presets = [.. presets] };
                        current = null;
                        deadline = clock.Elapsed + perPlugin; // to the next begin
                        break;
                }
            }
        }
        finally
        {
            Kill(child);
            Task.WaitAll([reading, output, writing], TimeSpan.FromSeconds(5));
        }
    }

    private static Outcome Done(string rest)
    {
        (string ok, string tail) = Split(rest);
        (string hashes, string tail2) = Split(tail);
        (string latency, string reason) = Split(tail2);
        return new Outcome(ok == "1", reason, hashes)
        {
            Latency = float.TryParse(latency, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out float l) && float.IsFinite(l) ? l : 0,
        };
    }

    private static (string Head, string Tail) Split(string line)
    {
        int space = line.IndexOf(' ', StringComparison.Ordinal);
        return space < 0 ? (line, "") : (line[..space], line[(space + 1)..]);
    }

    /// <summary>"instantiated", "activated", "run" (a phase the child named), "loaded" before its first step.</summary>
    private static string Participle(string phase) => phase switch
    {
        "instantiate" => "instantiated",
        "activate" => "activated",
        "run" => "run",
        _ => "loaded",
    };

    /// <summary>How a process ended, in words: a signal (exit status 128 + N on Linux) or an exit status.</summary>
    internal static string Death(int exitCode) => exitCode switch
    {
        128 + 11 => "crashes (SIGSEGV)",
        128 + 6 => "aborts (SIGABRT)",
        128 + 8 => "crashes (SIGFPE: an arithmetic fault)",
        128 + 7 => "crashes (SIGBUS)",
        128 + 4 => "crashes (SIGILL)",
        128 + 9 => "is killed (SIGKILL)",
        > 128 and < 128 + 65 => $"dies of signal {exitCode - 128}",
        _ => $"exits (status {exitCode})",
    };

    private static void Read(StreamReader from, BlockingCollection<string?> lines)
    {
        try
        {
            while (from.ReadLine() is { } line)
            {
                lines.Add(line);
            }
        }
        catch (IOException)
        {
            // the child is gone: the end of its report
        }
        lines.Add(null);
    }

    /// <summary>Reads a child's own output to its end (a plugin may print without end), keeping its first bytes.</summary>
    private static string Drain(StreamReader from)
    {
        var kept = new System.Text.StringBuilder();
        var buffer = new char[4096];
        try
        {
            int n;
            while ((n = from.Read(buffer, 0, buffer.Length)) > 0)
            {
                kept.Append(buffer, 0, Math.Min(n, Limits.PluginOutputBytes - kept.Length));
            }
        }
        catch (IOException)
        {
            // gone
        }
        return kept.ToString();
    }

    private static void Write(StreamWriter to, List<string> uris)
    {
        try
        {
            foreach (string uri in uris)
            {
                to.WriteLine(uri);
            }
            to.Close();
        }
        catch (IOException)
        {
            // it died before reading them all: the rest go to the next child
        }
    }

    private static string FirstLine(Task<string> output)
    {
        string text = output.Wait(TimeSpan.FromSeconds(5)) ? output.Result : "";
        string line = text.Split('\n').FirstOrDefault(l => l.Contains("error", StringComparison.OrdinalIgnoreCase))?.Trim() ?? "";
        return line.Replace("perpetuo: error: ", "", StringComparison.Ordinal);
    }

    private static void Kill(Process child)
    {
        try
        {
            if (!child.HasExited)
            {
                child.Kill(entireProcessTree: true);
                child.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
    }
}
