namespace Perpetuo.Audio.Tests;

/// <summary>Checks that a recording is one contiguous stretch of <see cref="RampSource"/>'s stream.</summary>
internal static class RecordingAssert
{
    /// <summary>
    /// Aligns on the first non-silent frame (the recording starts at an arbitrary point of the stream), then requires
    /// every following sample of every channel to equal the source's exactly: a dropped or repeated period shows
    /// as a jump, a missed cycle as zeros. Returns the number of leading silent frames (before the stream reached
    /// the recorder) and the aligned frame count.
    /// </summary>
    public static (int LeadingSilence, int Aligned) ContainsRampContiguously(FloatWav wav, int channels)
    {
        Assert.Equal(channels, wav.Channels);
        float[] s = wav.Samples;
        // Align on the first frame where every channel has sound: jack_capture connects its ports one after the
        // other, so its first frames may hold channel 1 while channel 2 is not connected yet.
        int first = 0;
        while (first < wav.Frames && AnySilent(s, first, channels))
        {
            first++;
        }

        Assert.True(first < wav.Frames, "the recording is entirely silent");

        // One sample names its stream frame only modulo the source's period; the alignment is unique (and a jump
        // of a whole period visible) only while the recording is shorter than that period.
        Assert.True(wav.Frames - first < RampSource.Period,
            $"ambiguous alignment: {wav.Frames - first} recorded frames span the source's period of {RampSource.Period}; record less");
        long f0 = RampSource.FrameOf(s[first * channels]);
        for (int i = first; i < wav.Frames; i++)
        {
            long frame = f0 + (i - first);
            for (int c = 0; c < channels; c++)
            {
                float expected = RampSource.Sample(frame, c);
                float actual = s[(i * channels) + c];
                if (actual != expected)
                {
                    string what = actual == 0f
                        ? "silence (gap)"
                        : $"a jump of {RampSource.FrameOf(c % 2 == 0 ? actual : -actual) - (frame % RampSource.Period)} frames";
                    Assert.Fail($"recording frame {i} channel {c} (stream frame {frame}): expected {expected}, got {actual}: {what}; {i - first} frames matched before it");
                }
            }
        }

        return (first, wav.Frames - first);
    }

    private static bool AnySilent(float[] s, int frame, int channels)
    {
        for (int c = 0; c < channels; c++)
        {
            if (s[(frame * channels) + c] == 0f)
            {
                return true;
            }
        }
        return false;
    }
}
