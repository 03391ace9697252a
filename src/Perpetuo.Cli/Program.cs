using Perpetuo.Control.Patches;

namespace Perpetuo.Cli;

/// <summary>The `perpetuo` executable.</summary>
public static class Program
{
    private const string Usage = """
        perpetuo — a real-time audio engine that never goes silent

        Usage: perpetuo COMMAND [options]   (perpetuo COMMAND --help for details)

          play     play a patch through a hot-standby pair of DSP worker processes
          render   render a patch (and a journal) in-process: the reference
        """;

    public static int Main(string[] args)
    {
        if (args.Length == 0 || args[0] is "--help" or "-h" or "help")
        {
            Console.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }
        string verb = args[0];
        string[] rest = args[1..];
        try
        {
            return verb switch
            {
                "play" => Dispatch(verb, rest, PlayCommand.FlagNames, PlayCommand.Help, PlayCommand.Run),
                "render" => Dispatch(verb, rest, new HashSet<string>(), RenderCommand.Help, RenderCommand.Run),
                "worker" => WorkerCommand.Run(CliArgs.Parse(verb, rest, new HashSet<string>())),
                _ => throw new CliException($"unknown command \"{verb}\"; see perpetuo --help"),
            };
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
    }

    private static int Dispatch(string verb, string[] rest, IReadOnlySet<string> flags, string help, Func<CliArgs, int> run)
    {
        CliArgs a = CliArgs.Parse(verb, rest, flags);
        if (a.Help)
        {
            Console.WriteLine(help);
            return 0;
        }
        return run(a);
    }
}
