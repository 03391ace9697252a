using Perpetuo.Audio;

namespace Perpetuo.Cli;

/// <summary>Device outputs (auto, JACK, PortAudio) through the audio project's selector.</summary>
internal static class DeviceOutputs
{
    public static IAudioOutput Create(string spec, AudioFormat format, string clientName, bool autoConnect, out string message, int inputs = 0, bool midi = false)
    {
        try
        {
            return OutputSelector.Create(spec, format, clientName, autoConnect, out message, inputs, midi);
        }
        catch (ArgumentException e)
        {
            throw new CliException("play: " + e.Message, e);
        }
    }
}
