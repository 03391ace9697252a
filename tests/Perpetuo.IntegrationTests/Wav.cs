using Perpetuo.Audio;

namespace Perpetuo.IntegrationTests;

internal static class Wav
{
    /// <summary>Asserts two WAV files hold the same float samples, reporting the first difference.</summary>
    public static void AssertIdentical(string expectedPath, string actualPath)
    {
        WavFile expected = WavFile.Read(expectedPath);
        WavFile actual = WavFile.Read(actualPath);
        Assert.Equal(expected.Channels, actual.Channels);
        Assert.Equal(expected.SampleRate, actual.SampleRate);
        Assert.Equal(expected.Samples.Length, actual.Samples.Length);
        int first = FirstDifference(expected.Samples, actual.Samples);
        Assert.True(first < 0, $"first differing sample at frame {first / Math.Max(1, expected.Channels)} (block {first / expected.Channels / 256}): expected {(first >= 0 ? expected.Samples[first] : 0)}, got {(first >= 0 ? actual.Samples[first] : 0)}");
    }

    public static int FirstDifference(float[] a, float[] b)
    {
        for (int i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            if (BitConverter.SingleToInt32Bits(a[i]) != BitConverter.SingleToInt32Bits(b[i]))
            {
                return i;
            }
        }
        return a.Length == b.Length ? -1 : Math.Min(a.Length, b.Length);
    }

    public static double Rms(float[] s) => Math.Sqrt(s.Sum(x => (double)x * x) / Math.Max(1, s.Length));
}
