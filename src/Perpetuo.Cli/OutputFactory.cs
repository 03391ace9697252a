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
    /// <param name="midi">A JACK MIDI input port: an output other than JACK is then an error.</param>
    public static IAudioOutput Create(string spec, AudioFormat format, long maxFrames, string clientName, bool autoConnect, out string message,
                                      int inputs = 0, bool midi = false)
    {
        const string Hint = "to play a file as the input use --input wav:FILE";
        string needs = midi ? "--midi needs a running JACK server and a JACK output" : $"--inputs {inputs} needs a sound device: a JACK or PortAudio output";
        if ((inputs > 0 || midi) && (spec == "null" || WavPath(spec) != null))
        {
            // Before the output is made: a WAV output would truncate its file first.
            throw new CliException($"play: {needs}, not --output {spec}; {Hint}");
        }
        IAudioOutput output = CreateAny(spec, format, maxFrames, clientName, autoConnect, out message, inputs, midi);
        bool captures = output is Perpetuo.Audio.Jack.JackOutput || (!midi && output is Perpetuo.Audio.PortAudio.PortAudioOutput);
        if ((inputs > 0 || midi) && !captures)
        {
            string name = output.Name;
            output.Dispose();
            throw new CliException($"play: {needs} (the output is {name}: {message}); {Hint}");
        }
        return output;
    }

    private static IAudioOutput CreateAny(string spec, AudioFormat format, long maxFrames, string clientName, bool autoConnect, out string message,
                                          int inputs, bool midi)
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
        return DeviceOutputs.Create(spec, format, clientName, autoConnect, out message, inputs, midi);
    }
}
