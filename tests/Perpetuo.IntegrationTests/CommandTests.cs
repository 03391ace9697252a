using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Perpetuo.IntegrationTests;

/// <summary>Commands from a real OSC tool during real failovers: heard, journaled, replayed bit for bit.</summary>
public sealed class CommandTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("perpetuo-it-");

    private string PathOf(string name) => Path.Combine(_dir.FullName, name);

    [Fact]
    public void CommandsFromOscsendSurviveRepeatedFailoversAndTheJournalReplaysThePlayedAudioExactly()
    {
        bool liblo = Tools.Has("oscsend");
        Assert.True(liblo || Environment.GetEnvironmentVariable("CI") != "true", "CI must have liblo-tools (oscsend)");
        int port = Tools.FreeUdpPort();
        string osc = $"127.0.0.1:{port}";
        const string seconds = "12";
        var plain = Perpetuo.Run(_dir.FullName, TimeSpan.FromSeconds(60), "render", "--seconds", seconds, "--out", "plain.wav");
        Assert.True(plain.Code == 0, plain.Stderr);
        using Perpetuo play = Perpetuo.Start(_dir.FullName, "play", "--output", "wav:out.wav", "--seconds", seconds, "--journal", "j.jsonl",
                                             "--events", "events.jsonl", "--osc", osc, "--ring-depth", RingDepth.Hitless, "--quiet");
        JsonElement status = Engine.Status(osc, TimeSpan.FromSeconds(30));
        Assert.Equal(3, status.GetProperty("slots").GetArrayLength()); // two leaders and the trailing replica

        // Bad commands: each gets an error reply and a failing exit; none may reach the journal.
        string[][] bad =
        [
            ["/perpetuo/param", "nosuch", "cutoff", "500"],
            ["/perpetuo/param", "filter", "cutoff", "50000"],
            ["/perpetuo/param", "filter", "wobble", "1"],
            ["/perpetuo/param", "-t", "ssf", "filter", "cutoff", "nan"],
            ["/perpetuo/param", "filter", "cutoff"],
            ["/perpetuo/module/add", "wobbler", "w1"],
            ["/perpetuo/note/on", "-t", "if", "200", "0.5"],
            ["/perpetuo/fault", "0", "crash"],
        ];
        foreach (string[] command in bad)
        {
            var r = Perpetuo.Run(_dir.FullName, TimeSpan.FromSeconds(30), ["send", .. command, "--osc", osc]);
            Assert.True(r.Code != 0, $"accepted a bad command: {string.Join(' ', command)}");
            Assert.Contains("error", r.Stderr + r.Stdout, StringComparison.Ordinal);
        }

        int sent = 0, kills = 0;
        var clock = Stopwatch.StartNew();
        var nextKill = TimeSpan.FromSeconds(1);
        while (clock.Elapsed < TimeSpan.FromSeconds(7))
        {
            float cutoff = 300 + (sent * 97 % 3000);
            Send(liblo, osc, "/perpetuo/param", "ssf", "filter", "cutoff", cutoff.ToString(CultureInfo.InvariantCulture));
            Send(liblo, osc, "/perpetuo/note/on", "if", (60 + (sent % 12)).ToString(CultureInfo.InvariantCulture), "0.7");
            Send(liblo, osc, "/perpetuo/note/off", "i", (60 + ((sent + 11) % 12)).ToString(CultureInfo.InvariantCulture));
            sent += 3;
            if (clock.Elapsed > nextKill)
            {
                int? pid = Engine.ActivePidWithStandby(osc, TimeSpan.FromSeconds(1));
                if (pid != null)
                {
                    Signals.Send(pid.Value, Signals.SIGKILL);
                    kills++;
                }
                nextKill = clock.Elapsed + TimeSpan.FromSeconds(1.5);
            }
            Thread.Sleep(150);
        }
        Assert.Equal(0, play.WaitForExit(TimeSpan.FromSeconds(60)));

        Assert.True(kills >= 3, $"only {kills} kills happened");
        var events = new EventsFile(PathOf("events.jsonl"));
        Assert.True(play.Stderr.Contains(" 0 underruns", StringComparison.Ordinal), play.Stderr + "\n" + events.Summary());
        Assert.True(events.Count("failover") >= kills);
        string[] journal = File.ReadAllLines(PathOf("j.jsonl"))[1..]; // after the session line
        Assert.Equal(sent, journal.Length); // every accepted command, none of the refused ones
        Assert.DoesNotContain(journal, l => l.Contains("nosuch", StringComparison.Ordinal) || l.Contains("wobble", StringComparison.Ordinal));

        var replay = Perpetuo.Run(_dir.FullName, TimeSpan.FromSeconds(60), "render", "--journal", "j.jsonl", "--seconds", seconds, "--out", "replay.wav");
        Assert.True(replay.Code == 0, replay.Stderr);
        Wav.AssertIdentical(PathOf("replay.wav"), PathOf("out.wav"));

        // The commands are heard exactly from the first stamp on, not before.
        long firstBlock = JsonDocument.Parse(journal[0]).RootElement.GetProperty("block").GetInt64();
        int firstFrame = JsonDocument.Parse(journal[0]).RootElement.GetProperty("frame").GetInt32();
        float[] withCommands = Audio.WavFile.Read(PathOf("out.wav")).Samples;
        float[] without = Audio.WavFile.Read(PathOf("plain.wav")).Samples;
        int firstDifference = Wav.FirstDifference(without, withCommands);
        Assert.True(firstDifference >= 0, "the commands must change the sound");
        Assert.True(firstDifference / 2 >= (firstBlock * 256) + firstFrame, $"output changed at frame {firstDifference / 2}, before the first stamp {firstBlock}:{firstFrame}");
        Assert.True(firstDifference / 2 < (firstBlock + 200) * 256, "the first command is heard soon after its stamp");
    }

    private static void Send(bool liblo, string osc, string address, string types, params string[] args)
    {
        string port = osc[(osc.LastIndexOf(':') + 1)..];
        int code = liblo
            ? Tools.Run("oscsend", ["localhost", port, address, types, .. args])
            : Tools.Run("dotnet", [Perpetuo.Dll, "send", address, "-t", types, .. args, "--osc", osc]);
        Assert.Equal(0, code);
    }

    public void Dispose() => _dir.Delete(recursive: true);
}
