namespace Perpetuo.IntegrationTests;

/// <summary>Finds where a recording (which starts at an arbitrary point of the stream) sits in the reference.</summary>
internal static class Align
{
    private const int Probe = 512;

    /// <summary>
    /// Null when, from the first sound on, every recorded frame (at least <paramref name="minFrames"/>) equals the
    /// reference at exactly one offset (no jump, no gap, no silence); otherwise what went wrong.
    /// Design: the start of the recording may match the reference at several offsets (a periodic patch repeats
    /// itself), so taking the first match would compare against the wrong stretch, and a recording that equals
    /// the reference at several offsets cannot show a dropped or repeated period. Every offset where the probe
    /// matches is therefore checked in full, and exactly one must match; several is reported as ambiguous.
    /// </summary>
    public static string? CompareRecording(float[] reference, float[] recording, int channels, int minFrames)
    {
        int firstSound = Array.FindIndex(recording, s => MathF.Abs(s) > 1e-3f);
        if (firstSound < 0)
        {
            return "the recording is silent";
        }
        int start = firstSound / channels;
        int frames = (recording.Length / channels) - start;
        if (frames < Math.Max(Probe, minFrames))
        {
            return $"the recording has only {frames} frames of sound (at least {Math.Max(Probe, minFrames)} needed)";
        }
        List<int> candidates = Candidates(reference, recording.AsSpan(start * channels, Probe * channels), channels);
        if (candidates.Count == 0)
        {
            return "the start of the recording is nowhere in the reference";
        }

        // A candidate counts only if the reference covers the whole recording from it: a recording that runs past
        // the end of the reference is not shown to be contiguous, however well its beginning matches.
        var matches = new List<int>();
        (int Offset, int Diff) best = (-1, -1);
        foreach (int offset in candidates.Where(o => o + frames <= reference.Length / channels))
        {
            int diff = Wav.FirstDifference(reference.AsSpan(offset * channels, frames * channels).ToArray(),
                                           recording.AsSpan(start * channels, frames * channels).ToArray());
            if (diff < 0)
            {
                matches.Add(offset);
            }
            else if (diff > best.Diff)
            {
                best = (offset, diff);
            }
        }

        string at = $"(its first {Probe} frames match the reference at {Describe(candidates)})";
        return matches.Count switch
        {
            1 => null,
            > 1 => $"ambiguous alignment: the recording (frame {start} on, {frames} frames) equals the reference at {matches.Count} offsets, {Describe(matches)}: a periodic stretch cannot show a dropped or repeated period, so this recording proves nothing; record longer or make the patch aperiodic",
            _ when best.Offset < 0 => $"the recording ({frames} frames of sound) runs past the end of the reference at every offset {at}",
            _ => $"recording frame {start + (best.Diff / channels)} differs from reference frame {best.Offset + (best.Diff / channels)} (of {frames} compared, aligned at the offset that matched longest) {at}",
        };
    }

    /// <summary>Every reference frame at which <paramref name="probe"/> occurs.</summary>
    private static List<int> Candidates(float[] reference, ReadOnlySpan<float> probe, int channels)
    {
        var offsets = new List<int>();
        for (int f = 0; f + Probe <= reference.Length / channels; f++)
        {
            if (reference.AsSpan(f * channels, Probe * channels).SequenceEqual(probe))
            {
                offsets.Add(f);
            }
        }
        return offsets;
    }

    private static string Describe(List<int> offsets) =>
        string.Join(", ", offsets.Take(8)) + (offsets.Count > 8 ? $" and {offsets.Count - 8} more" : string.Empty);
}
