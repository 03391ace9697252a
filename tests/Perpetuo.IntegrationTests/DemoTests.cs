namespace Perpetuo.IntegrationTests;

/// <summary>`perpetuo demo`: the newcomer's first run, start to verdict, as a real process with real worker kills.</summary>
public sealed class DemoTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("perpetuo-demo-");

    [Fact]
    public void TheDemoKillsAndHangsWorkersAndItsRecordingIsIdenticalToTheReference()
    {
        var demo = Perpetuo.Run(_dir.FullName, TimeSpan.FromSeconds(120), "demo", "--seconds", "8", "--output", "null");
        string all = demo.Stdout + demo.Stderr;
        Assert.True(demo.Code == 0, all);
        Assert.Contains("identical to reference", demo.Stdout, StringComparison.Ordinal);
        Assert.Contains("  underruns         0", demo.Stdout, StringComparison.Ordinal);
        Assert.Contains("  lost samples      0 ", demo.Stdout, StringComparison.Ordinal);
        Assert.True(Counted(demo.Stdout, "failovers") >= 3, all);
        Assert.True(Counted(demo.Stdout, "hangs detected") >= 1, all);
        Assert.True(Counted(demo.Stdout, "respawns") >= 3, all);

        // The recording has the reference's length, and an independent `render` of the journal equals it byte for byte.
        string wav = Path.Combine(_dir.FullName, "demo.wav");
        Audio.WavFile played = Audio.WavFile.Read(wav);
        Assert.Equal(8.0 * 48000, played.Frames, 256.0);
        string seconds = (played.Frames / 48000.0).ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        var render = Perpetuo.Run(_dir.FullName, TimeSpan.FromSeconds(60), "render", "--journal", "demo.journal.jsonl", "--seconds", seconds, "--out", "ref.wav");
        Assert.True(render.Code == 0, render.Stderr);
        Assert.Equal(played.Frames, Audio.WavFile.Read(Path.Combine(_dir.FullName, "ref.wav")).Frames);
        Wav.AssertIdentical(Path.Combine(_dir.FullName, "ref.wav"), wav);

        // The report picture: a PNG of a sensible size.
        var png = new FileInfo(Path.Combine(_dir.FullName, "demo.png"));
        Assert.True(png.Exists, all);
        Assert.InRange(png.Length, 20_000, 20_000_000);
        byte[] head = new byte[8];
        using (FileStream f = png.OpenRead())
        {
            f.ReadExactly(head);
        }
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, head);
    }

    [Fact]
    public void TheDemoExplainsItselfWithAnExample()
    {
        var help = Perpetuo.Run(_dir.FullName, TimeSpan.FromSeconds(30), "demo", "--help");
        Assert.Equal(0, help.Code);
        Assert.Contains("Example:", help.Stdout, StringComparison.Ordinal);
        Assert.Contains("--seconds", help.Stdout, StringComparison.Ordinal);
        Assert.Contains("--report", help.Stdout, StringComparison.Ordinal);
    }

    /// <summary>The number on the verdict line that starts with <paramref name="label"/>.</summary>
    private static long Counted(string stdout, string label)
    {
        string line = stdout.Split('\n').First(l => l.TrimStart().StartsWith(label + " ", StringComparison.Ordinal));
        return long.Parse(line.Trim()[label.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
    }

    public void Dispose() => _dir.Delete(recursive: true);
}
