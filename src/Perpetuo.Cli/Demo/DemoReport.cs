using System.Globalization;
using ScottPlot;

namespace Perpetuo.Cli.Demo;

/// <summary>
/// The report picture: the whole run (channel 0) with every failover marked, then one panel per failover with
/// the played waveform and the reference overlaid around the switch.
/// </summary>
internal static class DemoReport
{
    /// <summary>Frames shown each side of a switch.</summary>
    public const int HalfWindow = 512;

    private const int Width = 1400;
    private const int RowHeight = 340;

    /// <summary>Writes the PNG. <paramref name="played"/> and <paramref name="reference"/> are interleaved.</summary>
    public static void Write(string path, float[] played, float[] reference, int channels, DemoClock clock,
                             IReadOnlyList<FailoverMark> failovers, string headline, string playedName)
    {
        ArgumentNullException.ThrowIfNull(played);
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(failovers);
        int columns = failovers.Count <= 1 ? 1 : 2;
        int rows = 1 + ((failovers.Count + columns - 1) / columns);
        var multiplot = new Multiplot();
        var layout = new ScottPlot.MultiplotLayouts.CustomGrid();
        Plot overview = multiplot.AddPlot();
        layout.Set(overview, new GridCell(0, 0, rows, columns, 1, columns));
        DrawOverview(overview, played, channels, clock, failovers, headline);
        for (int i = 0; i < failovers.Count; i++)
        {
            Plot p = multiplot.AddPlot();
            layout.Set(p, new GridCell(1 + (i / columns), i % columns, rows, columns, 1, 1));
            DrawSwitch(p, i + 1, failovers[i], played, reference, channels, clock, playedName);
        }
        multiplot.Layout = layout;
        multiplot.SavePng(path, Width, RowHeight * rows);
    }

    private static void DrawOverview(Plot p, float[] played, int channels, DemoClock clock, IReadOnlyList<FailoverMark> failovers, string headline)
    {
        double[] ys = Channel0(played, channels, 0, played.Length / channels);
        var signal = p.Add.Signal(ys, 1.0 / clock.SampleRate);
        signal.Color = Colors.SteelBlue;
        signal.LegendText = "played (channel 0)";
        for (int i = 0; i < failovers.Count; i++)
        {
            var line = p.Add.VerticalLine(clock.Seconds(failovers[i].Seq));
            line.Color = Colors.Crimson.WithAlpha(0.8);
            line.LineWidth = 1.5f;
            line.LinePattern = LinePattern.Dashed;
            line.LegendText = i == 0 ? "failovers" : "";
        }
        p.Title(headline);
        p.XLabel("seconds");
        p.YLabel("amplitude");
        p.ShowLegend(Alignment.LowerRight);
        p.Axes.SetLimitsX(0, (double)ys.Length / clock.SampleRate);
    }

    private static void DrawSwitch(Plot p, int number, FailoverMark f, float[] played, float[] reference, int channels, DemoClock clock, string playedName)
    {
        long frames = Math.Min(played.Length, reference.Length) / channels;
        long at = f.Seq * clock.BlockFrames;
        long start = Math.Clamp(at - HalfWindow, 0, Math.Max(0, frames - 1));
        int count = (int)Math.Clamp(Math.Min(frames, at + HalfWindow) - start, 0, 2 * HalfWindow);
        double msPerFrame = 1000.0 / clock.SampleRate;
        double offset = (start - at) * msPerFrame;
        double[] played0 = Channel0(played, channels, start, count);
        double[] reference0 = Channel0(reference, channels, start, count);
        int differing = 0;
        for (int i = 0; i < count; i++)
        {
            differing += BitConverter.DoubleToInt64Bits(played0[i]) != BitConverter.DoubleToInt64Bits(reference0[i]) ? 1 : 0;
        }
        var a = p.Add.Signal(played0, msPerFrame);
        a.Data.XOffset = offset;
        a.Color = Colors.SteelBlue.WithAlpha(0.55);
        a.LineWidth = 5;
        a.LegendText = $"played ({playedName})";
        var b = p.Add.Signal(reference0, msPerFrame);
        b.Data.XOffset = offset;
        b.Color = Colors.DarkOrange;
        b.LineWidth = 1.2f;
        b.LegendText = "reference (in-process render)";
        var line = p.Add.VerticalLine(0);
        line.Color = Colors.Crimson;
        line.LineWidth = 2;
        line.LinePattern = LinePattern.Dashed;
        line.LegendText = $"switch: first block from slot {f.To}";
        string verdict = differing == 0 ? "identical" : $"{differing} samples differ";
        p.Title(string.Create(CultureInfo.InvariantCulture,
            $"failover {number}: slot {f.From} → slot {f.To}   (block {f.Seq}, {clock.Seconds(f.Seq):0.000} s) — {verdict}"));
        p.XLabel("ms from the switch (channel 0)");
        p.ShowLegend(Alignment.LowerLeft);
    }

    private static double[] Channel0(float[] interleaved, int channels, long startFrame, long count)
    {
        var ys = new double[count];
        for (long i = 0; i < count; i++)
        {
            ys[i] = interleaved[(startFrame + i) * channels];
        }
        return ys;
    }
}
