namespace Perpetuo.Audio;

/// <summary>A <see cref="RecordingSource"/> whose sink is a 32-bit float WAV file: what the output played, block for block.</summary>
public static class WavRecording
{
    /// <summary>
    /// Starts recording what <paramref name="inner"/> produces at <paramref name="format"/> into <paramref name="path"/>.
    /// Dispose the returned writer after <see cref="RecordingSource.Complete"/> to patch the WAV sizes. Control thread only.
    /// </summary>
    public static RecordingSource Start(IBlockSource inner, AudioFormat format, string path, int capacityBlocks, out WavWriter wav)
    {
        var writer = new WavWriter(path, format.SampleRate, format.Channels);
        wav = writer;
        return new RecordingSource(inner, format.BlockSamples, capacityBlocks, (block, _) => writer.Write(block));
    }
}
