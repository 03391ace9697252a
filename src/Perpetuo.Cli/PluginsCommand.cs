using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Perpetuo.Lv2;

namespace Perpetuo.Cli;

/// <summary>`plugins`: the installed LV2 plugins (lv2ls and lv2info in one), and whether Perpetuo can host each.</summary>
internal static class PluginsCommand
{
    private const string Description = """
        list the installed LV2 plugins, their parameters, and which Perpetuo can host

        Scans the LV2 path (LV2_PATH, else ~/.lv2, /usr/local/lib/lv2, /usr/lib/lv2) through liblilv-0 and prints
        each plugin's URI and name, its audio inputs and outputs, its parameters (control inputs) in port order with
        their range and default, and whether Perpetuo supports it or why not, and (for the plugins named) its presets.
        With URIs, only those plugins (exit status 1 if one is not installed; with --json it is left out). --json
        prints the list as JSON (snake_case). --check also renders each supported plugin in two fresh copies on the
        same input, in two processes, and reports whether they agree bit for bit: only a replicable plugin can run in
        Perpetuo's workers (play refuses the others, saying why). Each plugin's code runs only in child processes,
        bounded in time: one that crashes, aborts, exits or hangs when it is instantiated or run is reported as such
        and costs only itself.

        Examples:
          perpetuo plugins
          perpetuo plugins http://plugin.org.uk/swh-plugins/plate
          perpetuo plugins --json
        """;

    /// <summary>The `plugins` verb: an optional URI and --json; its help and action.</summary>
    public static Command Create()
    {
        var uri = new Argument<string[]>("URI") { Description = "show only these plugins", Arity = ArgumentArity.ZeroOrMore };
        Option<bool> json = CliOptions.Flag("--json", "print the list as JSON");
        Option<bool> check = CliOptions.Flag("--check", "also render each supported plugin twice in fresh copies and report whether they agree bit for bit (replicable)");
        Option<int> nice = CliOptions.Int("--nice", 0, 0, 19, "niceness of the scan (play runs it at 19: only idle CPU)");
        nice.Hidden = true;
        Option<double> seconds = CliOptions.Double("--check-seconds", Perpetuo.Protocol.Limits.PluginCheckTime.TotalSeconds, 0.1, 3600,
                                                   "the longest one plugin's check may take (tests reach it in seconds)");
        seconds.Hidden = true;
        Option<bool> child = CliOptions.Flag(PluginCheckChild.Option, "internal: check the plugins named on standard input, one a line (PluginCheck's child)");
        child.Hidden = true;
        var command = new Command("plugins", Description) { uri, json, check, nice, seconds, child };
        command.SetAction(r =>
        {
            Perpetuo.Transport.LibC.TrySetNice(r.GetValue(nice));
            double limit = r.GetValue(seconds);
            return r.GetValue(child) ? PluginCheckChild.Run()
                : Run(r.GetValue(uri) ?? [], r.GetValue(json), r.GetValue(check), TimeSpan.FromSeconds(limit));
        });
        return command;
    }

    private static int Run(string[] uris, bool json, bool check, TimeSpan perPlugin)
    {
        Lv2Catalog catalog;
        try
        {
            catalog = Lv2Catalog.Load();
        }
        catch (Lv2UnavailableException e)
        {
            Console.Error.WriteLine($"perpetuo: error: {e.Message}");
            return 1;
        }
        using (catalog)
        {
            // Named plugins are described alone (reading every plugin's data takes seconds with a few hundred installed).
            // With --json a name that is not installed is left out (the caller, play's look-up, says so); in the table it is an error.
            IReadOnlyList<Lv2PluginInfo> plugins = uris.Length == 0 ? catalog.Plugins : [.. uris.Select(catalog.Find).OfType<Lv2PluginInfo>()];
            if (!json && uris.FirstOrDefault(u => catalog.Find(u) == null) is { } missing)
            {
                Console.Error.WriteLine($"perpetuo: error: plugins: no LV2 plugin {missing} is installed");
                return 1;
            }
            // Each plugin's code runs only in the check's child processes: one that crashes or hangs costs only itself.
            Dictionary<string, PluginCheck.Outcome> checks = check
                ? PluginCheck.Run([.. plugins.Where(p => p.Supported).Select(p => p.Uri)], perPlugin)
                : [];
            // Presets are data (no plugin code): read for one plugin, or taken from the check; reading every installed
            // plugin's takes seconds, which play's description of them (`plugins --json`) must not pay.
            Func<Lv2PluginInfo, IReadOnlyList<PresetJson>?> presets = p =>
                checks.TryGetValue(p.Uri, out PluginCheck.Outcome? o) ? o.Presets
                : uris.Length > 0 ? [.. catalog.Presets(p).Select(PresetJsonOf)]
                : null;
            if (json)
            {
                Console.WriteLine(JsonSerializer.Serialize([.. plugins.Select(p => Json(p, checks) with { Presets = presets(p) })],
                                                           PluginsJsonContext.Default.IReadOnlyListPluginJson));
                return 0;
            }
            foreach (Lv2PluginInfo p in plugins)
            {
                Print(p);
                PrintPresets(presets(p));
                if (checks.TryGetValue(p.Uri, out PluginCheck.Outcome? o))
                {
                    Console.WriteLine(!o.Replicable ? $"  not hosted: {o.Reason}"
                        : o.FixedParameters ? "  replicable with its parameters at their defaults only (moved, it plays differently in two processes: it recomputes its sound on a thread of its own); hosted with no parameters"
                        : o.SharesState ? "  replicable (in two processes alike; its two copies in one process differ: it shares state such as a random generator between them, and every replica runs it in a process of its own)"
                        : "  replicable (two fresh copies, in two processes, agree bit for bit)");
                    if (o.Replicable && o.Latency != 0)
                    {
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  latency {o.Latency:0.##} frames (reported at its defaults)"));
                    }
                }
            }
            if (uris.Length == 0)
            {
                Console.WriteLine($"{plugins.Count} plugins, {plugins.Count(p => p.Supported)} supported");
            }
            return 0;
        }
    }

    private static PluginJson Json(Lv2PluginInfo p, Dictionary<string, PluginCheck.Outcome> checks)
    {
        PluginJson j = PluginJson.From(p);
        return checks.TryGetValue(p.Uri, out PluginCheck.Outcome? o)
            ? j with
            {
                Replicable = o.Replicable, ReplicationReason = o.Replicable ? null : o.Reason, CheckHash = o.Hash, LibrarySha256 = o.Library,
                SharesState = o.Replicable ? o.SharesState : null,
                FixedParameters = o.Replicable ? o.FixedParameters : null,
                LatencyFrames = o.Replicable ? o.Latency : null,
            }
            : j;
    }

    private static PresetJson PresetJsonOf(Lv2Preset p) =>
        new(p.Number, p.Uri, p.Label, p.HasState, p.Values.GroupBy(v => v.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal));

    private static void PrintPresets(IReadOnlyList<PresetJson>? presets)
    {
        if (presets is not { Count: > 0 })
        {
            return;
        }
        Console.WriteLine($"  presets ({presets.Count}; a patch module's \"preset\": URI, or /perpetuo/module/preset ID URI):");
        foreach (PresetJson p in presets)
        {
            Console.WriteLine($"  {p.Number,4}  {p.Uri}  \"{p.Label}\"{(p.HasState ? "  (and plugin state beyond its parameters)" : "")}");
        }
    }

    private static void Print(Lv2PluginInfo p)
    {
        Console.WriteLine(p.Uri);
        Console.WriteLine($"  {p.Name}: audio {p.AudioInputs} in / {p.AudioOutputs} out" +
                          (p.ControlOutputs > 0 ? $", {p.ControlOutputs} control outputs" : "") +
                          (p.HasMidiInput ? ", MIDI input" : ""));
        foreach (Lv2ControlInput c in p.ControlInputs)
        {
            string kind = c.IsToggled ? " toggle" : c.IsEnumeration ? " enum" : c.IsInteger ? " int" : "";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {c.Symbol,-16} [{c.Min:0.####} .. {c.Max:0.####}] default {c.Default:0.####}{kind}   {c.Name}"));
        }
        if (p.Version.Length > 0 || p.Library.Length > 0)
        {
            Console.WriteLine($"  version {(p.Version.Length > 0 ? p.Version : "(none given)")}, library {p.Library}");
        }
        Console.WriteLine(p.Supported ? "  supported" : $"  not supported: {p.Reason}");
    }
}
