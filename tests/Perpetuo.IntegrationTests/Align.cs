namespace Perpetuo.IntegrationTests;

/// <summary>Finds where a recording (which starts at an arbitrary point of the stream) sits in the reference.</summary>
internal static class Align
{
    /// <summary>
    /// Null when every recorded frame from the first sound on equals the reference at one fixed offset (no jump, no
    /// gap, no silence) for at least <paramref name="minFrames"/> frames; otherwise what went wrong.
    /// </summary>
    public static string? CompareRecording(float[] reference, float[] recording, int channels, int minFrames)
    {
        int firstSound = Array.FindIndex(recording, s => MathF.Abs(s) > 1e-3f);
        if (firstSound < 0)
        {
            return "the recording is silent";
        }
        int start = firstSound / channels;
        const int Probe = 512;
        int frames = (recording.Length / channels) - start;
        if (frames < Probe)
        {
            return $"the recording has only {frames} frames of sound";
        }
        ReadOnlySpan<float> probe = recording.AsSpan(start * channels, Probe * channels);
        int offset = -1;
        for (int f = 0; f + Probe <= reference.Length / channels; f++)
        {
            if (reference.AsSpan(f * channels, Probe * channels).SequenceEqual(probe))
            {
                offset = f;
                break;
            }
        }
        if (offset < 0)
        {
            return "the start of the recording is nowhere in the reference";
        }
        int compare = Math.Min(frames, (reference.Length / channels) - offset);
        if (compare < minFrames)
        {
            return $"only {compare} frames could be compared";
        }
        int diff = Wav.FirstDifference(reference.AsSpan(offset * channels, compare * channels).ToArray(),
                                       recording.AsSpan(start * channels, compare * channels).ToArray());
        return diff < 0 ? null : $"recording frame {start + (diff / channels)} differs from reference frame {offset + (diff / channels)} (of {compare} compared)";
    }
}
