namespace Perpetuo.Dsp;

/// <summary>Equal-tempered MIDI note to frequency (A4 = note 69 = 440 Hz).</summary>
internal static class MidiPitch
{
    /// <summary>Frequency in Hz of MIDI note <paramref name="note"/>.</summary>
    public static double ToHz(int note) => 440.0 * Math.Pow(2.0, (note - 69) / 12.0);

    /// <summary>Frequency ratio of <paramref name="cents"/> cents.</summary>
    public static double CentsToRatio(double cents) => Math.Pow(2.0, cents / 1200.0);
}
