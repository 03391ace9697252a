namespace Perpetuo.Audio;

/// <summary>The stream format an output runs at: sample rate, interleaved channel count, frames per engine block.</summary>
public readonly record struct AudioFormat(int SampleRate, int Channels, int BlockFrames)
{
    /// <summary>Samples in one interleaved block.</summary>
    public int BlockSamples => Channels * BlockFrames;

    /// <summary>Duration of one block.</summary>
    public TimeSpan BlockPeriod => TimeSpan.FromSeconds((double)BlockFrames / SampleRate);
}
