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
        their range and default, and whether Perpetuo supports it or why not. With URI, only that plugin (exit
        status 1 if it is not installed). --json prints the list as JSON (snake_case). --check also renders each
        supported plugin twice, in two fresh copies on the same input, and reports whether they agree bit for bit:
        only a replicable plugin can run in Perpetuo's two workers (play refuses the others, saying why).

        Examples:
          perpetuo plugins
          perpetuo plugins http://plugin.org.uk/swh-plugins/plate
          perpetuo plugins --json
        """;

    /// <summary>The `plugins` verb: an optional URI and --json; its help and action.</summary>
    public static Command Create()
    {
        var uri = new Argument<string?>("URI") { Description = "show only this plugin", Arity = ArgumentArity.ZeroOrOne };
        Option<bool> json = CliOptions.Flag("--json", "print the list as JSON");
        Option<bool> check = CliOptions.Flag("--check", "also render each supported plugin twice in fresh copies and report whether they agree bit for bit (replicable)");
        Option<int> nice = CliOptions.Int("--nice", 0, 0, 19, "niceness of the scan (play runs it at 19: only idle CPU)");
        nice.Hidden = true;
        var command = new Command("plugins", Description) { uri, json, check, nice };
        command.SetAction(r =>
        {
            Perpetuo.Transport.LibC.TrySetNice(r.GetValue(nice));
            return Run(r.GetValue(uri), r.GetValue(json), r.GetValue(check));
        });
        return command;
    }

    private static int Run(string? uri, bool json, bool check)
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
            IReadOnlyList<Lv2PluginInfo> plugins = catalog.Plugins;
            if (uri != null)
            {
                Lv2PluginInfo? one = catalog.Find(uri);
                if (one == null)
                {
                    Console.Error.WriteLine($"perpetuo: error: plugins: no LV2 plugin {uri} is installed");
                    return 1;
                }
                plugins = [one];
            }
            if (json)
            {
                Console.WriteLine(JsonSerializer.Serialize([.. plugins.Select(p => Json(catalog, p, check))], PluginsJsonContext.Default.IReadOnlyListPluginJson));
                return 0;
            }
            foreach (Lv2PluginInfo p in plugins)
            {
                Print(p);
                if (check && p.Supported)
                {
                    var (ok, why) = Lv2Replication.Check(catalog, p, 48000);
                    Console.WriteLine(ok ? "  replicable (two fresh copies agree bit for bit)" : $"  not replicable: {why}");
                }
            }
            if (uri == null)
            {
                Console.WriteLine($"{plugins.Count} plugins, {plugins.Count(p => p.Supported)} supported");
            }
            return 0;
        }
    }

    private static PluginJson Json(Lv2Catalog catalog, Lv2PluginInfo p, bool check)
    {
        PluginJson j = PluginJson.From(p);
        if (!check || !p.Supported)
        {
            return j;
        }
        var (ok, why, hash) = Lv2Replication.CheckWithHash(catalog, p, 48000);
        return j with { Replicable = ok, ReplicationReason = ok ? null : why, CheckHash = hash.ToString("x16", CultureInfo.InvariantCulture) };
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
        Console.WriteLine(p.Supported ? "  supported" : $"  not supported: {p.Reason}");
    }
}
