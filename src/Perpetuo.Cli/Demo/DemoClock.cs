using System.Globalization;

namespace Perpetuo.Cli.Demo;

/// <summary>Times in the demo's narration: the output's block clock (the device clock rules), in seconds from the start.</summary>
internal sealed record DemoClock(int SampleRate, int BlockFrames)
{
    /// <summary>"  2.41 s": when block <paramref name="seq"/> leaves the callback.</summary>
    public string At(long seq) => string.Create(CultureInfo.InvariantCulture, $"{Seconds(seq),6:0.00} s");

    /// <summary>Seconds from the start of playback to block <paramref name="seq"/>.</summary>
    public double Seconds(long seq) => (double)seq * BlockFrames / SampleRate;

    /// <summary>The first block at or after <paramref name="seconds"/>.</summary>
    public long BlockAt(double seconds) => (long)Math.Ceiling(seconds * SampleRate / BlockFrames);
}
