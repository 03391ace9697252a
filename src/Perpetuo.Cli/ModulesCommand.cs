using System.Globalization;
using System.Text.Json;
using Perpetuo.Control.Commands;

namespace Perpetuo.Cli;

/// <summary>`modules`: the running engine's module graph (the supervisor's model), as a table or JSON.</summary>
internal static class ModulesCommand
{
    private const string Description = """
        show a running engine's modules and parameter values

        Asks a running `perpetuo play` for its modules (/perpetuo/modules): each module's id, type and the current
        value of every parameter with its range, in chain order. --json prints the JSON list as received.

        Examples:
          perpetuo modules
          perpetuo modules --json
        """;

    /// <summary>The `modules` verb: its options, help and action.</summary>
    public static System.CommandLine.Command Create() =>
        OscClient.QueryCommand("modules", Description, "print the JSON list as received", ControlAddresses.Modules, PrintTable);

    private static void PrintTable(JsonElement root)
    {
        foreach (JsonElement m in root.EnumerateArray())
        {
            Console.WriteLine($"{m.GetProperty("id").GetString()} ({m.GetProperty("type").GetString()})");
            foreach (JsonElement p in m.GetProperty("params").EnumerateArray())
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {p.GetProperty("name").GetString(),-12} {p.GetProperty("value").GetSingle(),10:0.####}   [{p.GetProperty("min").GetSingle():0.####} .. {p.GetProperty("max").GetSingle():0.####}]"));
            }
        }
    }
}
