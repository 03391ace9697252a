namespace Perpetuo.IntegrationTests;

/// <summary>The aligner on synthetic periodic signals, where the first offset at which a recording's start matches is the wrong one.</summary>
public sealed class AlignTests
{
    private const int Channels = 2;
    private const int Period = 1000;
    private const int MinFrames = 2000;

    [Fact]
    public void ARecordingOfAPeriodicReferenceIsAlignedAtItsTrueOffsetNotTheFirstMatch()
    {
        float[] reference = Periodic(periods: 20, markAt: (12 * Period) + 500);
        float[] recording = Record(reference, from: (5 * Period) + 37, to: 17 * Period);

        Assert.Null(Align.CompareRecording(reference, recording, Channels, MinFrames));
    }

    [Fact]
    public void ARecordingThatEqualsAPeriodicReferenceAtSeveralOffsetsIsReportedAsAmbiguous()
    {
        float[] reference = Periodic(periods: 20, markAt: -1);
        float[] recording = Record(reference, from: (5 * Period) + 37, to: 12 * Period);

        string? failure = Align.CompareRecording(reference, recording, Channels, MinFrames);

        Assert.NotNull(failure);
        Assert.StartsWith("ambiguous alignment", failure, StringComparison.Ordinal);
        Assert.Contains("37, 1037, 2037", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void ADroppedStretchIsReportedWhateverTheCandidateOffset()
    {
        float[] reference = Periodic(periods: 20, markAt: (12 * Period) + 500);
        float[] recording = [.. Record(reference, from: (5 * Period) + 37, to: 9 * Period), .. reference.AsSpan(((9 * Period) + 300) * Channels, 7 * Period * Channels)];

        string? failure = Align.CompareRecording(reference, recording, Channels, MinFrames);

        Assert.NotNull(failure);
        Assert.Contains("differs", failure, StringComparison.Ordinal);
    }

    /// <summary>A stereo signal repeating every <see cref="Period"/> frames, never near zero, with one frame changed at <paramref name="markAt"/> (none if negative).</summary>
    private static float[] Periodic(int periods, int markAt)
    {
        var s = new float[periods * Period * Channels];
        for (int f = 0; f < periods * Period; f++)
        {
            float v = 0.25f + (0.5f * ((f % Period) / (float)Period));
            s[f * Channels] = v;
            s[(f * Channels) + 1] = -v;
        }
        if (markAt >= 0)
        {
            s[markAt * Channels] = 0.9f;
        }
        return s;
    }

    /// <summary>Frames [from, to) of the reference after 300 frames of silence, as a recorder that joined late would have them.</summary>
    private static float[] Record(float[] reference, int from, int to) =>
        [.. new float[300 * Channels], .. reference.AsSpan(from * Channels, (to - from) * Channels)];
}
