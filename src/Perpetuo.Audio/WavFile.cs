namespace Perpetuo.Audio;

/// <summary>A WAV file read whole: format and interleaved float samples (16-bit PCM and 32-bit float are accepted).</summary>
public sealed record WavFile(int SampleRate, int Channels, float[] Samples)
{
    /// <summary>Frames in the file.</summary>
    public long Frames => Samples.Length / Channels;

    /// <summary>Reads a WAV file whole, through <see cref="WavReader"/> (one parser of the format); throws
    /// <see cref="InvalidDataException"/> naming the file and what is wrong.</summary>
    public static WavFile Read(string path)
    {
        WavReader reader;
        try
        {
            reader = new WavReader(File.OpenRead(path));
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
        using (reader)
        {
            var samples = new List<float>();
            var block = new float[reader.Channels * 4096];
            int frames;
            while ((frames = reader.Read(block)) > 0)
            {
                samples.AddRange(block.AsSpan(0, frames * reader.Channels));
            }
            return new WavFile(reader.SampleRate, reader.Channels, [.. samples]);
        }
    }
}
