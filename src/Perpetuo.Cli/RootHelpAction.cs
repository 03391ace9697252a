using System.CommandLine;
using System.CommandLine.Invocation;

namespace Perpetuo.Cli;

/// <summary>
/// `perpetuo --help`: the root's description, then one line per visible verb, its summary (the first line of its
/// description). A verb's own --help goes to System.CommandLine's help, which prints its whole description.
/// </summary>
/// <remarks>
/// System.CommandLine 3.0 keeps its HelpBuilder internal, so the verb list cannot be shortened by customising it:
/// its default prints every verb's whole description, examples included, in the root's list.
/// </remarks>
internal sealed class RootHelpAction(CommandLineAction verbHelp) : SynchronousCommandLineAction
{
    public override int Invoke(ParseResult parseResult)
    {
        if (parseResult.CommandResult.Command is not RootCommand root)
        {
            Command verb = parseResult.CommandResult.Command;
            bool hidden = verb.Hidden;
            verb.Hidden = false; // the help of a hidden verb (worker) is empty otherwise; asked for by name, it is shown
            int status = verbHelp is SynchronousCommandLineAction help ? help.Invoke(parseResult) : 0;
            verb.Hidden = hidden;
            return status;
        }
        Console.WriteLine(root.Description);
        Console.WriteLine("Usage: perpetuo COMMAND [options]   (perpetuo COMMAND --help for details)");
        Console.WriteLine();
        List<Command> verbs = [.. root.Subcommands.Where(c => !c.Hidden)];
        int width = verbs.Max(c => c.Name.Length) + 3;
        foreach (Command verb in verbs)
        {
            Console.WriteLine($"  {verb.Name.PadRight(width)}{(verb.Description ?? "").Split('\n')[0]}");
        }
        return 0;
    }
}
