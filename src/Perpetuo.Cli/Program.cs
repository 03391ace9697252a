using System.CommandLine;
using System.CommandLine.Help;
using Perpetuo.Control.Patches;

namespace Perpetuo.Cli;

/// <summary>
/// The `perpetuo` executable. Each verb is one System.CommandLine definition (its <c>Create</c>): parsing, help,
/// usage errors and shell completion (the <c>[suggest]</c> directive, for dotnet-suggest) all come from it.
/// </summary>
public static class Program
{
    private const string Description = """
        perpetuo — a real-time audio engine that never goes silent

        Examples:
          perpetuo play --seconds 10
          perpetuo top                       (in another terminal, while play runs)
          perpetuo play --help

        """;

    /// <summary>The whole command line: every verb, `worker` hidden.</summary>
    internal static RootCommand CreateRoot()
    {
        var root = new RootCommand(Description)
        {
            Demo.DemoCommand.Create(),
            PlayCommand.Create(),
            RenderCommand.Create(),
            SendCommand.Create(),
            StatusCommand.Create(),
            ModulesCommand.Create(),
            TopCommand.Create(),
            WebCommand.Create(),
            DevicesCommand.Create(),
            PluginsCommand.Create(),
            WorkerCommand.Create(),
        };
        // `perpetuo --help` lists each verb by its summary, the first line of its description; a verb's --help is
        // System.CommandLine's, from the same definition.
        foreach (HelpOption option in root.Options.OfType<HelpOption>())
        {
            option.Action = new RootHelpAction(option.Action!);
        }
        return root;
    }

    public static int Main(string[] args)
    {
        RootCommand root = CreateRoot();
        if (args is ["help"])
        {
            args = ["--help"];
        }
        ParseResult parsed = root.Parse(args);
        if (args.Length == 0)
        {
            root.Parse(["--help"]).Invoke();
            return 2;
        }
        try
        {
            if (parsed.Errors.Count > 0 && parsed.Action is not (HelpAction or RootHelpAction))
            {
                return UsageError(parsed);
            }
            // No default exception handler: a CliException from a verb is one line below, never a stack trace.
            return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (CliException e)
        {
            Console.Error.WriteLine($"perpetuo: error: {e.Message}");
            return 2;
        }
        catch (PatchException e)
        {
            Console.Error.WriteLine($"perpetuo: error: {e.Message}");
            return 2;
        }
        catch (Transport.SharedMemoryException e)
        {
            // Not enough memory for the regions: said at start, in one line, instead of a SIGBUS while playing.
            Console.Error.WriteLine($"perpetuo: error: {e.Message}");
            return 2;
        }
    }

    /// <summary>Prints the parse errors, one line each, and returns exit status 2.</summary>
    private static int UsageError(ParseResult parsed)
    {
        Command command = parsed.CommandResult.Command;
        bool isRoot = command is RootCommand;
        string verb = isRoot ? "" : command.Name + ": ";
        string see = isRoot ? "see perpetuo --help" : $"see perpetuo {command.Name} --help";
        var unmatched = new HashSet<string>(parsed.UnmatchedTokens, StringComparer.Ordinal);
        foreach (string token in parsed.UnmatchedTokens)
        {
            string message = isRoot ? $"unknown command \"{token}\""
                : token.StartsWith('-') ? $"unknown option {token}; known: {string.Join(", ", command.Options.Where(o => !o.Hidden).Select(o => o.Name))}"
                : $"unexpected argument \"{token}\"";
            Console.Error.WriteLine($"perpetuo: error: {verb}{message} ({see})");
        }
        foreach (var error in parsed.Errors)
        {
            if (unmatched.Count > 0 && (error.Message.StartsWith("Unrecognized command or argument", StringComparison.Ordinal) ||
                                        error.Message.StartsWith("Required command was not provided", StringComparison.Ordinal)))
            {
                continue; // said above, in our words
            }
            Console.Error.WriteLine($"perpetuo: error: {verb}{error.Message}");
        }
        return 2;
    }
}
