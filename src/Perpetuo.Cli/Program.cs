using Perpetuo.Control.Patches;

namespace Perpetuo.Cli;

/// <summary>The `perpetuo` executable.</summary>
public static class Program
{
    private const string Usage = """
        perpetuo — a real-time audio engine that never goes silent

        Usage: perpetuo COMMAND [options]   (perpetuo COMMAND --help for details)

          demo     see it: play, crash and hang the workers, prove the audio is identical to the reference
          play     play a patch through a hot-standby pair of DSP worker processes
          render   render a patch (and a journal) in-process: the reference
          send     send one OSC message to a running engine and print the reply
          status   show a running engine's status
          modules  show a running engine's modules and parameter values
          top      a live dashboard of a running engine (slots, levels, failovers, events)
          devices  list the JACK and PortAudio outputs of this machine

        Examples:
          perpetuo play --seconds 10
          perpetuo top                       (in another terminal, while play runs)
          perpetuo play --help
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
                "demo" => Dispatch(verb, rest, new HashSet<string>(), Demo.DemoCommand.Help, Demo.DemoCommand.Run),
                "render" => Dispatch(verb, rest, RenderCommand.FlagNames, RenderCommand.Help, RenderCommand.Run),
                "send" => Dispatch(verb, rest, new HashSet<string>(), SendCommand.Help, SendCommand.Run),
                "status" => Dispatch(verb, rest, StatusCommand.FlagNames, StatusCommand.Help, StatusCommand.Run),
                "modules" => Dispatch(verb, rest, ModulesCommand.FlagNames, ModulesCommand.Help, ModulesCommand.Run),
                "top" => Dispatch(verb, rest, TopCommand.FlagNames, TopCommand.Help, TopCommand.Run),
                "devices" => Dispatch(verb, rest, new HashSet<string>(), DevicesCommand.Help, DevicesCommand.Run),
                "worker" => Dispatch(verb, rest, new HashSet<string>(), WorkerCommand.Help, WorkerCommand.Run),
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
        catch (Transport.SharedMemoryException e)
        {
            // Not enough memory for the regions: said at start, in one line, instead of a SIGBUS while playing.
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
