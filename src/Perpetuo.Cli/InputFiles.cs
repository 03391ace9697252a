using Perpetuo.Audio;

namespace Perpetuo.Cli;

/// <summary>
/// Opens a WAV file given as a live input (render --input, play --input wav:FILE, a journal's input): a regular file
/// (not a FIFO, a device or a directory), a WAV of the engine's rate, and its channels or mono; anything else is one
/// error line saying which. A symbolic link is followed, as by any command-line tool reading a file its user named.
/// </summary>
internal static class InputFiles
{
    public static WavInput Open(string verb, string option, string path, AudioFormat format)
    {
        PathChecks.NotEmpty(verb, option, path);
        if (!Perpetuo.Control.Files.RegularFile.TryOpen(path, out var handle, out _, out string error))
        {
            throw new CliException($"{verb}: {option} {path}: {error}");
        }
        var stream = new FileStream(handle!, FileAccess.Read, 1 << 16);
        WavReader reader;
        try
        {
            reader = new WavReader(stream); // owns the stream from here, and closes it if it refuses the file
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            throw new CliException($"{verb}: {option} {path}: {e.Message}", e);
        }
        if (reader.SampleRate != format.SampleRate || !WavInput.Fits(reader.Channels, format.Channels))
        {
            reader.Dispose();
            throw new CliException($"{verb}: {option} {path}: {reader.Channels} channels at {reader.SampleRate} Hz, but the engine runs " +
                                   $"{format.Channels} channels at {format.SampleRate} Hz (the file needs the same rate, and the same " +
                                   "channels or one: convert it, or give --rate and --channels to match)");
        }
        return new WavInput(reader, format.Channels, format.BlockFrames);
    }
}
