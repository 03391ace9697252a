using Perpetuo.Audio;

namespace Perpetuo.Cli;

/// <summary>Turns an --output spec into an output.</summary>
internal static class OutputFactory
{
    /// <summary>The file a <c>wav:PATH</c> spec writes, or null for any other output.</summary>
    public static string? WavPath(string spec) => spec.StartsWith("wav:", StringComparison.Ordinal) ? spec[4..] : null;

    /// <summary>Checks the --output spec's file, if it names one, before anything starts (<see cref="PathChecks"/>).</summary>
    public static void CheckPath(string verb, string spec) => PathChecks.Output(verb, "--output", WavPath(spec));

    /// <param name="inputs">JACK input ports for the live input: an output other than JACK is then an error.</param>
    public static IAudioOutput Create(string spec, AudioFormat format, long maxFrames, string clientName, bool autoConnect, out string message, int inputs = 0)
    {
        IAudioOutput output = CreateAny(spec, format, maxFrames, clientName, autoConnect, out message, inputs);
        if (inputs > 0 && output is not Perpetuo.Audio.Jack.JackOutput)
        {
            string name = output.Name;
            output.Dispose();
            throw new CliException($"play: --inputs {inputs} needs a running JACK server and a JACK output (the output is {name}: {message}); " +
                                   "to play a file as the input use --input wav:FILE");
        }
        return output;
    }

    private static IAudioOutput CreateAny(string spec, AudioFormat format, long maxFrames, string clientName, bool autoConnect, out string message, int inputs)
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
            try
            {
                return new WavOutput(path, format, maxFrames);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CliException($"--output wav:{path}: {e.Message}", e);
            }
        }
        return DeviceOutputs.Create(spec, format, clientName, autoConnect, out message, inputs);
    }
}
