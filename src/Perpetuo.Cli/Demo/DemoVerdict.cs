using System.Globalization;

namespace Perpetuo.Cli.Demo;

/// <summary>What the demo proves: counts from the run, and the recording compared with the in-process reference.</summary>
internal sealed record DemoVerdict
{
    /// <summary>Failovers the demo must see at least.</summary>
    public const int RequiredFailovers = 3;

    public required long Frames { get; init; }
    public required int SampleRate { get; init; }
    public required string OutputName { get; init; }
    public required long Failovers { get; init; }
    public required int Kills { get; init; }
    public required int HangsInjected { get; init; }
    public required int Respawns { get; init; }
    public required int HangsDetected { get; init; }
    public required long Underruns { get; init; }
    public required long Divergences { get; init; }
    public required int CommandsAccepted { get; init; }
    public required int CommandsRefused { get; init; }
    public required long DroppedBlocks { get; init; }
    public required long ReferenceFrames { get; init; }
    public required long DifferingFrames { get; init; }
    public required long FirstDifferingFrame { get; init; }

    /// <summary>0 underruns, 0 differing samples, at least <see cref="RequiredFailovers"/> failovers, a complete recording.</summary>
    public bool Perfect => Underruns == 0 && DifferingFrames == 0 && Failovers >= RequiredFailovers && DroppedBlocks == 0
                           && Frames == ReferenceFrames && Frames > 0;

    /// <summary>Frames of <paramref name="played"/> that differ (bit for bit, any channel) from <paramref name="reference"/>; extra frames of either count.</summary>
    public static long CountDiffering(float[] played, float[] reference, int channels, out long first)
    {
        ArgumentNullException.ThrowIfNull(played);
        ArgumentNullException.ThrowIfNull(reference);
        long common = Math.Min(played.Length, reference.Length) / channels;
        long longer = Math.Max(played.Length, reference.Length) / channels;
        long differing = longer - common;
        first = differing > 0 ? common : -1;
        for (long f = common - 1; f >= 0; f--)
        {
            for (int c = 0; c < channels; c++)
            {
                long i = (f * channels) + c;
                if (BitConverter.SingleToInt32Bits(played[i]) != BitConverter.SingleToInt32Bits(reference[i]))
                {
                    differing++;
                    first = f;
                    break;
                }
            }
        }
        return differing;
    }

    /// <summary>The verdict block printed at the end.</summary>
    public string Describe(string wavPath, string journalPath)
    {
        var inv = CultureInfo.InvariantCulture;
        string seconds = ((double)Frames / SampleRate).ToString("0.00", inv);
        string result = DifferingFrames == 0 && Frames == ReferenceFrames
            ? $"identical to reference ({Frames} frames, bit for bit)"
            : $"differs from reference: first differing frame {FirstDifferingFrame} ({((double)FirstDifferingFrame / SampleRate).ToString("0.000", inv)} s), {DifferingFrames} frames differ";
        var lines = new List<string>
        {
            "",
            "verdict",
            $"  played            {seconds} s through {OutputName}, recorded to {wavPath}",
            $"  faults injected   {Kills} x kill -9, {HangsInjected} x kill -STOP (active worker each time)",
            $"  failovers         {Failovers}{(Failovers < RequiredFailovers ? $"   (FAIL: need at least {RequiredFailovers})" : "")}",
            $"  respawns          {Respawns}",
            $"  hangs detected    {HangsDetected}",
            $"  underruns         {Underruns}",
            $"  divergences       {Divergences}",
            $"  commands          {CommandsAccepted} accepted, {CommandsRefused} refused (journal: {journalPath})",
            $"  recording         {DroppedBlocks} dropped blocks",
            $"  lost samples      {DifferingFrames} frames differ from the reference",
            $"  result            {result}",
            Perfect ? "  PASS: the workers crashed and hung; the audio did not notice." : "  FAIL: see the lines above.",
        };
        return string.Join(Environment.NewLine, lines);
    }
}
