using System.Globalization;
using System.Text.Json;
using Perpetuo.Control.Commands;

namespace Perpetuo.Cli;

/// <summary>`modules`: the running engine's module graph (the supervisor's model), as a table or JSON.</summary>
internal static class ModulesCommand
{
    public const string Help = """
        perpetuo modules [--json] [--osc 127.0.0.1:57130] [--timeout 2]

        Asks a running `perpetuo play` for its modules (/perpetuo/modules): each module's id, type and the current
        value of every parameter with its range, in chain order. --json prints the JSON list as received.

        Examples:
          perpetuo modules
          perpetuo modules --json
        """;

    public static IReadOnlySet<string> FlagNames { get; } = new HashSet<string> { "json" };

    public static int Run(CliArgs a) => OscClient.QueryAndPrint(a, ControlAddresses.Modules, PrintTable);

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
