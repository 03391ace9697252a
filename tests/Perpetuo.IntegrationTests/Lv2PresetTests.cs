using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Perpetuo.IntegrationTests;

/// <summary>
/// A preset chosen in a patch plays as the plugin plays with the preset's values anywhere else: `render` of a patch
/// choosing mda Detune's "Out Of Tune" preset equals, sample for sample, lilv's own lv2apply (lilv-utils) run with
/// the same control values on the same input.
/// </summary>
public sealed class Lv2PresetTests : IDisposable
{
    private const string Detune = "http://drobilla.net/plugins/mda/Detune";
    private const string OutOfTune = "http://drobilla.net/plugins/mda/presets#Detune-out-of-tune"; // not its defaults (detune 0.8, mix 0.7)
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("perpetuo-it-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string PathOf(string name) => Path.Combine(_dir.FullName, name);

    [Fact]
    public void APresetChosenInAPatchRendersAsLv2applyWithThePresetsValues()
    {
        WriteNoise(PathOf("in.wav"), seconds: 3);
        var listed = Perpetuo.Run(_dir.FullName, TimeSpan.FromSeconds(60), "plugins", Detune, "--json");
        Assert.True(listed.Code == 0, listed.Stderr);
        JsonElement preset = JsonDocument.Parse(listed.Stdout).RootElement[0].GetProperty("presets").EnumerateArray()
            .Single(p => p.GetProperty("uri").GetString() == OutOfTune);
        List<string> controls = [];
        foreach (JsonProperty v in preset.GetProperty("values").EnumerateObject())
        {
            controls.AddRange(["-c", v.Name, v.Value.GetSingle().ToString("R", CultureInfo.InvariantCulture)]);
        }
        Assert.NotEmpty(controls);
        Assert.Equal(0, Tool("lv2apply", ["-i", PathOf("in.wav"), "-o", PathOf("lv2apply.wav"), .. controls, Detune]));

        File.WriteAllText(PathOf("preset.json"), $$$"""
            {"modules":[{"type":"input","id":"in"},{"type":"lv2:{{{Detune}}}","id":"detune","preset":"{{{OutOfTune}}}"}]}
            """);
        var render = Perpetuo.Run(_dir.FullName, TimeSpan.FromSeconds(120), "render", "--patch", "preset.json", "--input", "in.wav",
                                  "--seconds", "3", "--no-limiter", "--out", "ours.wav");
        Assert.True(render.Code == 0, render.Stderr);

        float[] ours = Audio.WavFile.Read(PathOf("ours.wav")).Samples;
        float[] theirs = Audio.WavFile.Read(PathOf("lv2apply.wav")).Samples;
        Assert.Equal(theirs.Length, ours.Length);
        Assert.True(Wav.FirstDifference(theirs, ours) < 0, $"first difference at sample {Wav.FirstDifference(theirs, ours)}");
        // And the preset is what made it so: the plugin at its defaults plays otherwise.
        File.WriteAllText(PathOf("plain.json"), File.ReadAllText(PathOf("preset.json")).Replace($",\"preset\":\"{OutOfTune}\"", "", StringComparison.Ordinal));
        Assert.Equal(0, Perpetuo.Run(_dir.FullName, TimeSpan.FromSeconds(120), "render", "--patch", "plain.json", "--input", "in.wav",
                                     "--seconds", "3", "--no-limiter", "--out", "plain.wav").Code);
        Assert.True(Wav.FirstDifference(theirs, Audio.WavFile.Read(PathOf("plain.wav")).Samples) >= 0);
    }

    /// <summary>Stereo noise at -20 dBFS, 48 kHz, as a float WAV.</summary>
    private static void WriteNoise(string path, int seconds)
    {
        var samples = new float[48000 * seconds * 2];
        uint x = 2463534242;
        for (int i = 0; i < samples.Length; i++)
        {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            samples[i] = ((x >> 8) / (float)(1 << 24) - 0.5f) * 0.2f;
        }
        using var wav = new Audio.WavWriter(path, 48000, 2);
        wav.Write(samples);
    }

    private static int Tool(string tool, string[] args)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using Process p = Process.Start(psi)!;
        _ = p.StandardOutput.ReadToEndAsync();
        string errors = p.StandardError.ReadToEnd();
        Assert.True(p.WaitForExit(60_000), $"{tool} did not finish");
        Assert.True(p.ExitCode == 0, $"{tool}: {errors}");
        return p.ExitCode;
    }
}
