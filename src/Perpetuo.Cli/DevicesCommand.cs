using Perpetuo.Audio;

namespace Perpetuo.Cli;

/// <summary>`devices`: what JACK and PortAudio offer on this machine, and what `--output auto` would pick.</summary>
internal static class DevicesCommand
{
    public const string Help = """
        perpetuo devices

        Lists the audio outputs of both backends: the JACK server's playback ports (if a server runs) and
        PortAudio's output devices (by index and name, usable as --output portaudio:INDEX or portaudio:NAME).

        Example:
          perpetuo devices
          perpetuo play --output portaudio:pulse --seconds 10
        """;

    public static int Run(CliArgs a)
    {
        a.RejectUnknown();
        foreach (string line in OutputSelector.ListDevices())
        {
            Console.WriteLine(line);
        }
        return 0;
    }
}
