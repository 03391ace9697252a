namespace Perpetuo.IntegrationTests;

/// <summary>
/// The command line as a user meets it: every verb's help, and usage errors (extra words, unknown options, bad
/// values) refused before anything starts, as one `perpetuo: error:` line per problem and exit status 2.
/// </summary>
public sealed class CommandLineTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("perpetuo-cli-");

    [Theory]
    [InlineData("play", "--seconds", "--output", "--patch", "--ring-depth", "--allow-fault-injection", "--checkpoint-seconds", "--input", "--inputs", "--midi", "--midi-map")]
    [InlineData("demo", "--seconds", "--output", "--out", "--report")]
    [InlineData("render", "--seconds", "--out", "--patch", "--journal", "--rate")]
    [InlineData("send", "ADDRESS", "--types", "--osc", "--timeout")]
    [InlineData("status", "--json", "--osc", "--timeout")]
    [InlineData("modules", "--json", "--osc", "--timeout")]
    [InlineData("top", "--osc", "--interval", "--once", "--timeout")]
    [InlineData("devices", "--help")]
    [InlineData("worker", "--region", "--patch", "--wait", "--nice", "--realtime")]
    public void EachVerbsHelpExitsZeroAndListsItsOptions(string verb, params string[] expected)
    {
        var r = Perpetuo.Run(_dir.FullName, Timeout, verb, "--help");
        Assert.True(r.Code == 0, $"exit {r.Code}: {r.Stderr}");
        Assert.Equal("", r.Stderr);
        foreach (string option in expected)
        {
            Assert.Contains(option, r.Stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void TheTopLevelHelpListsEveryVisibleVerbAndNotTheWorker()
    {
        var r = Perpetuo.Run(_dir.FullName, Timeout, "--help");
        Assert.Equal(0, r.Code);
        foreach (string verb in new[] { "play", "demo", "render", "send", "status", "modules", "top", "devices" })
        {
            Assert.Contains($"  {verb} ", r.Stdout, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("  worker ", r.Stdout, StringComparison.Ordinal);
        Assert.Equal(2, Perpetuo.Run(_dir.FullName, Timeout).Code); // no verb at all: the same help, but a usage error
    }

    [Theory]
    [InlineData("play", "extra", "words")]
    [InlineData("render", "--seconds", "1", "--out", "x.wav", "extra")]
    [InlineData("status", "extra")]
    [InlineData("devices", "extra")]
    [InlineData("demo", "--seconds", "5", "extra")]
    public void ExtraWordsAreRefusedWithExitTwo(params string[] args)
    {
        var r = Perpetuo.Run(_dir.FullName, Timeout, args);
        Assert.True(r.Code == 2, $"exit {r.Code}: {r.Stderr}");
        Assert.StartsWith($"perpetuo: error: {args[0]}: unexpected argument \"extra\"", r.Stderr, StringComparison.Ordinal);
        Assert.Empty(_dir.GetFiles()); // refused before anything started
    }

    [Theory]
    [InlineData("play", "--sampelrate", "44100")]
    [InlineData("status", "--jsn")]
    [InlineData("top", "--onse")]
    [InlineData("send", "/perpetuo/status", "--timout", "3")]
    public void AnUnknownOptionIsRefusedWithExitTwo(params string[] args)
    {
        var r = Perpetuo.Run(_dir.FullName, Timeout, args);
        Assert.True(r.Code == 2, $"exit {r.Code}: {r.Stderr}");
        string option = args.First(a => a.StartsWith("--", StringComparison.Ordinal));
        Assert.StartsWith($"perpetuo: error: {args[0]}: unknown option {option}; known: ", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownVerbIsRefusedWithExitTwo()
    {
        var r = Perpetuo.Run(_dir.FullName, Timeout, "plya", "--seconds", "1");
        Assert.Equal(2, r.Code);
        Assert.StartsWith("perpetuo: error: unknown command \"plya\"", r.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("abc")]
    [InlineData("NaN")]
    [InlineData("604801")]
    public void SecondsIsValidatedTheSameInPlayAndRender(string seconds)
    {
        var play = Perpetuo.Run(_dir.FullName, Timeout, "play", "--output", "null", "--osc", "none", "--seconds", seconds);
        var render = Perpetuo.Run(_dir.FullName, Timeout, "render", "--out", "x.wav", "--seconds", seconds);
        string expected = $"--seconds must be a number of seconds > 0 and <= 604800, got \"{seconds}\"";
        Assert.Equal(2, play.Code);
        Assert.Equal(2, render.Code);
        Assert.Equal($"perpetuo: error: play: {expected}{Environment.NewLine}", play.Stderr);
        Assert.Equal($"perpetuo: error: render: {expected}{Environment.NewLine}", render.Stderr);
        Assert.False(File.Exists(Path.Combine(_dir.FullName, "x.wav")));
    }

    [Fact]
    public void RenderWithoutSecondsIsAUsageError()
    {
        var r = Perpetuo.Run(_dir.FullName, Timeout, "render", "--out", "x.wav");
        Assert.Equal(2, r.Code);
        Assert.Contains("--seconds", r.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("render --se", "--seconds")]
    [InlineData("play --wait ", "doorbell\nsleep\nspin\nyield")]
    [InlineData("render --", "--block\n--channels\n--help\n--input\n--journal\n--no-limiter\n--out\n--patch\n--rate\n--save-patch\n--seconds")]
    public void ShellCompletionComesFromTheVerbsDefinition(string line, string expected)
    {
        // dotnet-suggest's question: the [suggest:POSITION] directive and the command line typed so far.
        var r = Perpetuo.Run(_dir.FullName, Timeout, $"[suggest:{line.Length}]", line);
        Assert.Equal(0, r.Code);
        Assert.StartsWith(expected.Replace("\n", Environment.NewLine, StringComparison.Ordinal), r.Stdout, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Delete(recursive: true);
}
