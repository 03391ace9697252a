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
        status 1 if it is not installed). --json prints the list as JSON (snake_case).

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
        var command = new Command("plugins", Description) { uri, json };
        command.SetAction(r => Run(r.GetValue(uri), r.GetValue(json)));
        return command;
    }

    private static int Run(string? uri, bool json)
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
                Console.WriteLine(JsonSerializer.Serialize([.. plugins.Select(PluginJson.From)], PluginsJsonContext.Default.IReadOnlyListPluginJson));
                return 0;
            }
            foreach (Lv2PluginInfo p in plugins)
            {
                Print(p);
            }
            if (uri == null)
            {
                Console.WriteLine($"{plugins.Count} plugins, {plugins.Count(p => p.Supported)} supported");
            }
            return 0;
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
        Console.WriteLine(p.Supported ? "  supported" : $"  not supported: {p.Reason}");
    }
}
