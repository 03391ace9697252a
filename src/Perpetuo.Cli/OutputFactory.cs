using Perpetuo.Audio;

namespace Perpetuo.Cli;

/// <summary>Turns an --output spec into an output.</summary>
internal static class OutputFactory
{
    public static IAudioOutput Create(string spec, AudioFormat format, long maxFrames, string clientName, bool autoConnect, out string message)
    {
        if (spec == "null")
        {
            message = "output: null (no sound); record to a file with --output wav:out.wav";
            return new NullOutput(format, maxFrames);
        }
        if (spec.StartsWith("wav:", StringComparison.Ordinal))
        {
            string path = spec[4..];
            if (path.Length == 0)
            {
                throw new CliException("play: --output wav:PATH needs a path");
            }
            message = $"output: {path} (32-bit float WAV, paced at the real block rate)";
            return new WavOutput(path, format, maxFrames);
        }
        return DeviceOutputs.Create(spec, format, clientName, autoConnect, out message);
    }
}
