using System.Globalization;
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
        OscClient.QueryCommand("modules", Description, "print the JSON list as received", ControlAddresses.Modules,
                                  ModulesJsonContext.Default.IReadOnlyListModuleJson, PrintTable);

    private static void PrintTable(IReadOnlyList<ModuleJson> modules)
    {
        foreach (ModuleJson m in modules)
        {
            Console.WriteLine(m.LatencyFrames is { } latency
                ? string.Create(CultureInfo.InvariantCulture, $"{m.Id} ({m.Type}), latency {latency:0.##} frames")
                : $"{m.Id} ({m.Type})");
            foreach (ParamJson p in m.Params)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {p.Name,-12} {p.Value,10:0.####}   [{p.Min:0.####} .. {p.Max:0.####}]"));
            }
        }
    }
}
