using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Perpetuo.IntegrationTests;

/// <summary>Every output of the audio process is bounded and failure-tolerant; every path is checked before anything starts.</summary>
public sealed class OutputFailureTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("perpetuo-it-");

    private string PathOf(string name) => Path.Combine(_dir.FullName, name);

    [Fact]
    public void PlayWithTheJournalAndEventsOnAFullDiskKeepsPlayingAndEqualsTheReference()
    {
        var render = Perpetuo.Run(_dir.FullName, TimeSpan.FromSeconds(60), "render", "--seconds", "3", "--out", "ref.wav");
        Assert.True(render.Code == 0, render.Stderr);
        // Hitless depth, as every test that compares a played file sample for sample: the disk is what is tested here,
        // not this VM's random 15-35 ms stalls (docs/performance.md, Worker CPU, ring depth and wait strategy).
        var play = Perpetuo.Run(_dir.FullName, TimeSpan.FromSeconds(60), "play", "--journal", "/dev/full", "--events", "/dev/full",
                                "--output", "wav:out.wav", "--seconds", "3", "--osc", "none", "--quiet", "--ring-depth", RingDepth.Hitless);
        Assert.True(play.Code == 0, play.Stderr);
        Assert.Contains("events_write_failed", play.Stderr, StringComparison.Ordinal); // said once, as an error
        Assert.Single(play.Stderr.Split('\n'), l => l.Contains("events_write_failed", StringComparison.Ordinal));
        Wav.AssertIdentical(PathOf("ref.wav"), PathOf("out.wav"));
    }

    [Theory]
    [InlineData("play --patch  --output null", "--patch needs a path")]
    [InlineData("play --patch adir --output null", "directory")]
    [InlineData("play --patch fifo --output null", "not a regular file")]
    [InlineData("play --patch /dev/zero --output null", "not a regular file")]
    [InlineData("play --patch big.json --output null", "larger than the limit")]
    [InlineData("play --output wav:missing/x.wav", "does not exist")]
    [InlineData("play --events missing/e.jsonl --output null", "does not exist")]
    [InlineData("play --journal missing/j.jsonl --output null", "does not exist")]
    [InlineData("play --events adir --output null", "is a directory")]
    [InlineData("render --seconds 1 --out missing/x.wav", "does not exist")]
    [InlineData("render --seconds 1 --out x.wav --patch fifo", "not a regular file")]
    [InlineData("render --seconds 1 --out x.wav --journal /dev/zero", "not a regular file")]
    [InlineData("render --seconds 1 --out x.wav --input fifo", "not a regular file")]
    [InlineData("render --seconds 1 --out x.wav --input /dev/zero", "not a regular file")]
    [InlineData("render --seconds 1 --out x.wav --input adir", "directory")]
    [InlineData("render --seconds 1 --out x.wav --input  --patch big.json", "--input needs a path")]
    [InlineData("render --seconds 1 --out x.wav --input big.json", "not a RIFF/WAVE file")]
    [InlineData("demo --out missing/x.wav --output null", "does not exist")]
    [InlineData("demo --report adir --output null", "is a directory")]
    public void AWrongPathIsOneErrorLineAndExitTwoQuicklyBeforeAnythingStarts(string command, string expected)
    {
        Directory.CreateDirectory(PathOf("adir"));
        Assert.Equal(0, Tools.Run("mkfifo", PathOf("fifo")));
        File.WriteAllBytes(PathOf("big.json"), new byte[Control.Patches.PatchFileReader.MaxPatchFileBytes + 1]);
        string[] args = command.Split(' ').Select(a => a).ToArray(); // "--patch  --output": the empty argument
        var clock = Stopwatch.StartNew();
        var r = Perpetuo.Run(_dir.FullName, TimeSpan.FromSeconds(30), args);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.True(r.Code == 2, $"exit {r.Code}: {r.Stderr}");
        string[] lines = r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, r.Stderr);
        Assert.StartsWith("perpetuo: error: ", lines[0], StringComparison.Ordinal);
        Assert.Contains(expected, lines[0], StringComparison.Ordinal);
        Assert.False(File.Exists(PathOf("x.wav")));
    }

    [Fact]
    public void AnExistingWavIsUntouchedWhenTheOscOrMetricsPortIsBusy()
    {
        byte[] keep = "not overwritten"u8.ToArray();
        File.WriteAllBytes(PathOf("keep.wav"), keep);
        using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var tcp = new TcpListener(IPAddress.Loopback, 0);
        tcp.Start();
        try
        {
            string[][] commands =
            [
                ["play", "--output", "wav:keep.wav", "--seconds", "1", "--osc", udp.LocalEndPoint!.ToString()!],
                ["play", "--output", "wav:keep.wav", "--seconds", "1", "--osc", "none", "--metrics", tcp.LocalEndpoint.ToString()!],
                ["play", "--output", "wav:keep.wav", "--seconds", "1", "--osc", "none", "--journal", "adir"],
            ];
            Directory.CreateDirectory(PathOf("adir"));
            foreach (string[] command in commands)
            {
                var r = Perpetuo.Run(_dir.FullName, TimeSpan.FromSeconds(30), command);
                Assert.True(r.Code == 2, $"{string.Join(' ', command)}: exit {r.Code}: {r.Stderr}");
                Assert.Equal(keep, File.ReadAllBytes(PathOf("keep.wav")));
            }
        }
        finally
        {
            tcp.Stop();
        }
    }

    public void Dispose() => _dir.Delete(recursive: true);
}
