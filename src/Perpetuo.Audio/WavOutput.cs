namespace Perpetuo.Audio;

/// <summary>Plays into a 32-bit float WAV file at the real block rate (so the engine runs exactly as it would on a device).</summary>
public sealed class WavOutput : PacedOutput
{
    private readonly WavWriter _writer;

    public WavOutput(string path, AudioFormat format, long maxFrames = 0) : base("wav:" + path, format, maxFrames)
    {
        _writer = new WavWriter(path, format.SampleRate, format.Channels);
    }

    protected override void Deliver(ReadOnlySpan<float> interleaved) => _writer.Write(interleaved);

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _writer.Dispose();
        }
    }
}
