using Perpetuo.Cli;
using Perpetuo.Control.Commands;
using Perpetuo.Control.Osc;

namespace Perpetuo.IntegrationTests;

/// <summary>
/// LV2 instruments, a worker plugin and a preset through the real path (installed by .ci/run: mda-lv2, setbfree,
/// x42-plugins): a musician's notes over OSC play mda's ePiano (chosen by preset) and setBfree's organ (which needs
/// the LV2 worker) through SIGKILLs of the heard worker, identical to `render --journal`; a convolver loading its
/// impulse response through its state and its worker, through kills, identical to the render of its patch.
/// </summary>
public sealed class Lv2InstrumentTests : IDisposable
{
    private const string EPiano = "lv2:http://drobilla.net/plugins/mda/EPiano";
    private const string Organ = "lv2:http://gareus.org/oss/lv2/b_synth";
    private const string Convolver = "lv2:http://gareus.org/oss/lv2/zeroconvolv#CfgMono";
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("perpetuo-it-");

    private string PathOf(string name) => Path.Combine(_dir.FullName, name);

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public void NotesOverOscPlayAnLv2PianoAndOrganThroughKillsOfTheHeardWorkerIdenticalToRenderJournal()
    {
        File.WriteAllText(PathOf("keys.json"), $$$"""
            {"modules":[
              {"type":"noise","id":"air","params":{"level":0.005}},
              {"type":"{{{EPiano}}}","id":"piano","preset":"http://drobilla.net/plugins/mda/presets#EPiano-bright"},
              {"type":"{{{Organ}}}","id":"organ"},
              {"type":"gain","id":"gain","params":{"gain":0.5}}]}
            """);
        string osc = $"127.0.0.1:{Tools.FreeUdpPort()}";
        using Perpetuo play = Perpetuo.Start(_dir.FullName, "play", "--patch", "keys.json", "--output", "wav:out.wav", "--seconds", "14",
                                             "--osc", osc, "--events", "events.jsonl", "--journal", "j.jsonl",
                                             "--ring-depth", RingDepth.Hitless, "--quiet");
        var events = new EventsFile(PathOf("events.jsonl"));
        Engine.Status(osc, TimeSpan.FromSeconds(90)); // play checks the plugins before its control port opens
        using OscClient client = OscClient.Connect(osc);
        int[] chord = [60, 64, 67, 71];
        for (int kill = 0; kill < 3; kill++)
        {
            int? active = Engine.ActivePidWithStandby(osc, TimeSpan.FromSeconds(30));
            Assert.True(active != null, "a verified standby before each kill; events: " + events.Summary());
            foreach (int note in chord)
            {
                Engine.Accept(client, new OscMessage(ControlAddresses.NoteOn, note + kill, 0.4f + (0.15f * kill)));
                Thread.Sleep(120);
            }
            Signals.Send(Engine.ActivePidWithStandby(osc, TimeSpan.FromSeconds(5)) ?? active.Value, Signals.SIGKILL);
            Thread.Sleep(900);
            Engine.Accept(client, new OscMessage(ControlAddresses.NoteOff, chord[0] + kill));
            Engine.Accept(client, new OscMessage(ControlAddresses.NotesOff));
            Thread.Sleep(600);
        }
        Assert.Equal(0, play.WaitForExit(TimeSpan.FromSeconds(90)));

        Assert.True(play.Stderr.Contains(" 0 underruns", StringComparison.Ordinal), play.Stderr + "\n" + events.Summary());
        Assert.Contains(" 0 divergences", play.Stderr, StringComparison.Ordinal);
        Assert.True(events.Count("resynced") >= 3, events.Summary());
        string[] journal = File.ReadAllLines(PathOf("j.jsonl"));
        Assert.True(journal.Count(l => l.Contains("\"kind\":\"note_on\"", StringComparison.Ordinal)) >= 12, string.Join('\n', journal));
        Assert.Contains("\"lv2:preset\":2", journal[0], StringComparison.Ordinal); // the session's patch holds the preset as its number
        var render = Perpetuo.Run(_dir.FullName, TimeSpan.FromSeconds(180), "render", "--journal", "j.jsonl", "--seconds", "14", "--out", "ref.wav");
        Assert.True(render.Code == 0, render.Stderr);
        Wav.AssertIdentical(PathOf("ref.wav"), PathOf("out.wav"));
        Assert.True(Wav.Rms(Audio.WavFile.Read(PathOf("out.wav")).Samples) > 0.01, "the instruments are heard");
    }

    [Fact]
    public void AConvolverLoadingItsImpulseResponseThroughItsStateAndWorkerPlaysThroughKillsIdenticalToItsRender()
    {
        WriteImpulseResponse(PathOf("ir.wav"), seconds: 0.6f);
        File.WriteAllText(PathOf("verb.json"), """
            {"modules":[
              {"type":"seq","id":"seq","params":{"bpm":97}},
              {"type":"synth","id":"synth"},
              {"type":"CONVOLVER","id":"verb","params":{"buffered":0},
               "state":{"http://gareus.org/oss/lv2/zeroconvolv#ir":{"type":"http://lv2plug.in/ns/ext/atom#Path","value":"IR"}}}]}
            """.Replace("CONVOLVER", Convolver, StringComparison.Ordinal).Replace("IR", PathOf("ir.wav"), StringComparison.Ordinal));
        string osc = $"127.0.0.1:{Tools.FreeUdpPort()}";
        using Perpetuo play = Perpetuo.Start(_dir.FullName, "play", "--patch", "verb.json", "--output", "wav:out.wav", "--seconds", "10",
                                             "--osc", osc, "--events", "events.jsonl", "--ring-depth", RingDepth.Hitless, "--quiet");
        var events = new EventsFile(PathOf("events.jsonl"));
        Engine.Status(osc, TimeSpan.FromSeconds(90));
        for (int kill = 0; kill < 3; kill++)
        {
            int? active = Engine.ActivePidWithStandby(osc, TimeSpan.FromSeconds(30));
            Assert.True(active != null, "a verified standby before each kill; events: " + events.Summary());
            Thread.Sleep(1200);
            Signals.Send(Engine.ActivePidWithStandby(osc, TimeSpan.FromSeconds(5)) ?? active.Value, Signals.SIGKILL);
        }
        Assert.Equal(0, play.WaitForExit(TimeSpan.FromSeconds(90)));

        Assert.True(play.Stderr.Contains(" 0 underruns", StringComparison.Ordinal), play.Stderr + "\n" + events.Summary());
        Assert.True(events.Count("resynced") >= 3, events.Summary());
        var render = Perpetuo.Run(_dir.FullName, TimeSpan.FromSeconds(180), "render", "--patch", "verb.json", "--seconds", "10", "--out", "ref.wav");
        Assert.True(render.Code == 0, render.Stderr);
        Wav.AssertIdentical(PathOf("ref.wav"), PathOf("out.wav"));
        // And the impulse response was loaded: the same patch without it (the convolver passes nothing through) is silent.
        File.WriteAllText(PathOf("dry.json"), File.ReadAllText(PathOf("verb.json")).Replace(PathOf("ir.wav"), PathOf("missing.wav"), StringComparison.Ordinal));
        Assert.Equal(0, Perpetuo.Run(_dir.FullName, TimeSpan.FromSeconds(60), "render", "--patch", "dry.json", "--seconds", "2", "--out", "dry.wav").Code);
        Assert.True(Wav.Rms(Audio.WavFile.Read(PathOf("out.wav")).Samples) > 10 * Wav.Rms(Audio.WavFile.Read(PathOf("dry.wav")).Samples) + 0.001);
    }

    /// <summary>A decaying noise burst, mono, 48 kHz, as a float WAV: a small room.</summary>
    private static void WriteImpulseResponse(string path, float seconds)
    {
        int frames = (int)(48000 * seconds);
        var samples = new float[frames];
        uint x = 12345;
        for (int i = 0; i < frames; i++)
        {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            samples[i] = ((x >> 8) / (float)(1 << 24) - 0.5f) * 0.05f * MathF.Exp(-6f * i / frames);
        }
        using var wav = new Audio.WavWriter(path, 48000, 1);
        wav.Write(samples);
    }
}
