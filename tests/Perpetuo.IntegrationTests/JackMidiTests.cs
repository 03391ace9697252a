using System.Diagnostics;
using System.Text.Json;
using Perpetuo.Audio.Tests;

namespace Perpetuo.IntegrationTests;

/// <summary>MIDI from a real JACK client (jackd2's jack_midiseq) into <c>perpetuo:midi_in</c>: played, journaled, sample accurate.</summary>
[Collection(JackCollection.Name)]
public sealed class JackMidiTests : IDisposable
{
    private const int Block = 64;
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("perpetuo-it-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string PathOf(string name) => Path.Combine(_dir.FullName, name);

    [JackFact]
    public void NotesFromJackMidiseqPlayTheSynthAndAreJournaledAtTheFrameTheyArrived()
    {
        File.WriteAllText(PathOf("synth.json"), """{"modules":[{"type":"synth","id":"synth"},{"type":"gain","id":"g"}]}""");
        using JackServer server = JackServer.Start(48000, Block, synchronous: true); // no cycle lost to a stalled vCPU: see the spacing check
        string? failure = PlayAndCheck(server);
        Assert.True(failure == null, $"{failure}\n{server.Xruns(["Sequencer"]).Describe()}");
    }

    private string? PlayAndCheck(JackServer server)
    {
        // A half-second loop: C4 for 8000 frames from its start, D#4 for 8000 frames from frame 12000 (not a period boundary).
        using Process sequencer = server.StartClient("jack_midiseq", "Sequencer", "24000", "0", "60", "8000", "12000", "63", "8000");
        string osc = $"127.0.0.1:{Tools.FreeUdpPort()}";
        File.Delete(PathOf("j.jsonl"));
        using Perpetuo play = Perpetuo.Start(_dir.FullName, "play", "--patch", "synth.json", "--midi", "--output", "jack", "--block", $"{Block}",
                                             "--ring-depth", RingDepth.Hitless, "--seconds", "6", "--journal", "j.jsonl", "--osc", osc, "--quiet");
        Engine.WaitUntilPlaying(osc);
        (int lsp, string ports) = server.RunTool("jack_lsp");
        Assert.True(lsp == 0 && ports.Contains("perpetuo:midi_in", StringComparison.Ordinal), ports);
        Assert.Equal(0, server.RunTool("jack_connect", "Sequencer:out", "perpetuo:midi_in").ExitCode);
        Assert.Equal(0, play.WaitForExit(TimeSpan.FromSeconds(60)));
        sequencer.Kill();
        Assert.Contains(" 0 divergences", play.Stderr, StringComparison.Ordinal);

        // Journaled like OSC commands, at the frame each note arrived: the loop's spacing, to the frame.
        var notes = File.ReadLines(PathOf("j.jsonl")).Skip(1).Select(l => JsonDocument.Parse(l).RootElement)
            .Select(e => (Kind: e.GetProperty("kind").GetString(), Note: (int)e.GetProperty("value").GetSingle(),
                          Frame: (e.GetProperty("block").GetInt64() * Block) + e.GetProperty("frame").GetInt32()))
            .ToList();
        var on60 = notes.Where(n => n is { Kind: "note_on", Note: 60 }).Select(n => n.Frame).ToList();
        var on63 = notes.Where(n => n is { Kind: "note_on", Note: 63 }).Select(n => n.Frame).ToList();
        var off60 = notes.Where(n => n is { Kind: "note_off", Note: 60 }).Select(n => n.Frame).ToList();
        Assert.True(on60.Count >= 3, string.Join('\n', notes));
        // Every loop exactly 24000 frames long: jack_midiseq counts its loop in the cycles it ran and the engine stamps
        // in the cycles it played, so a cycle either of them lost would move the later notes by a whole period. On an
        // asynchronous server the machine's vCPU stalls did that in 4 of 5 runs (a loop of 23936 frames); the
        // synchronous one waits for a late client instead (5 of 5 runs exact): a loop off by a frame is ours, unless a
        // client stalled past jackd's 500 ms client timeout (the longest vCPU stall measured here is 30 ms).
        var spacings = on60.Zip(on60.Skip(1), (a, b) => b - a).ToList();
        if (spacings.Any(d => d != 24000))
        {
            return $"C4 at frames {string.Join(", ", on60)}: not 24000 apart";
        }
        // And the other notes exactly where the loop puts them after (or, joined half-way, before) a C4.
        if (on63.Count == 0 || !on63.All(f => on60.Contains(f - 12000) || on60.Contains(f + 12000))
            || off60.Count == 0 || !off60.All(f => on60.Contains(f - 8000) || on60.Contains(f + 16000)))
        {
            return $"C4 on at {string.Join(", ", on60)}, D#4 on at {string.Join(", ", on63)}, C4 off at {string.Join(", ", off60)}: " +
                   "not at their frames in the loop (D#4 12000 after C4, C4 off 8000 after it)";
        }

        // And they play the synth: a render of the journal is silent before the first note and sounds after it.
        var render = Perpetuo.Run(_dir.FullName, TimeSpan.FromSeconds(60), "render", "--patch", "synth.json", "--journal", "j.jsonl",
                                  "--seconds", "6", "--out", "replay.wav");
        Assert.True(render.Code == 0, render.Stderr);
        float[] replay = Audio.WavFile.Read(PathOf("replay.wav")).Samples;
        int first = (int)Math.Min(on60[0], on63[0]) * 2; // the first note: the loop may have been joined half-way
        Assert.All(replay[..first], s => Assert.Equal(0f, s));
        Assert.True(Wav.Rms(replay[first..(first + 48000)]) > 0.01, "the notes are heard");
        return null;
    }
}
