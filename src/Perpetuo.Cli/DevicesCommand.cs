using System.CommandLine;
using Perpetuo.Audio;

namespace Perpetuo.Cli;

/// <summary>`devices`: what JACK and PortAudio offer on this machine, and what `--output auto` would pick.</summary>
internal static class DevicesCommand
{
    private const string Description = """
        list the JACK and PortAudio outputs of this machine

        Lists the audio outputs of both backends: the JACK server's playback ports (if a server runs) and
        PortAudio's output devices (by index and name, usable as --output portaudio:INDEX or portaudio:NAME).

        Example:
          perpetuo devices
          perpetuo play --output portaudio:pulse --seconds 10
        """;

    /// <summary>The `devices` verb: no options; its help and action.</summary>
    public static Command Create()
    {
        var command = new Command("devices", Description);
        command.SetAction(_ => Run());
        return command;
    }

    private static int Run()
    {
        foreach (string line in OutputSelector.ListDevices())
        {
            Console.WriteLine(line);
        }
        return 0;
    }
}
