using System.Text;
using Perpetuo.Control.Osc;
using Perpetuo.Control.Patches;

namespace Perpetuo.Web.Tests;

/// <summary>The web process's pure parts: what a page may send, who may connect, the timeline's sentences, rates, files.</summary>
public sealed class PartsTests
{
    private static bool Parse(string json, out PageRequest? request, out string? error) =>
        PageRequest.TryParse(Encoding.UTF8.GetBytes(json), WebLimits.Default, out request, out _, out error);

    [Theory]
    [InlineData("""{"id":3,"op":"param","module":"filter","param":"cutoff","value":400}""", "/perpetuo/param", "filter|cutoff|400")]
    [InlineData("""{"op":"add","type":"lv2:http://plugin.org.uk/swh-plugins/plate","module":"verb"}""", "/perpetuo/module/add", "lv2:http://plugin.org.uk/swh-plugins/plate|verb")]
    [InlineData("""{"op":"remove","module":"verb"}""", "/perpetuo/module/remove", "verb")]
    [InlineData("""{"op":"restore","module":"fx"}""", "/perpetuo/module/restore", "fx")]
    [InlineData("""{"op":"load","name":"pad.json"}""", "/perpetuo/patch/load", "pad.json")]
    [InlineData("""{"op":"panic"}""", "/perpetuo/notes/off", "")]
    public void EachOpIsOneEngineRequest(string json, string address, string args)
    {
        Assert.True(Parse(json, out PageRequest? r, out string? error), error);
        OscMessage m = r!.ToOsc();
        Assert.Equal(address, m.Address);
        Assert.Equal(args, string.Join('|', m.Arguments.Select(a => a.Type == OscTypeTag.String ? a.AsString() : a.AsFloat().ToString(System.Globalization.CultureInfo.InvariantCulture))));
    }

    [Theory]
    [InlineData("""{"op":"param","module":"filter","param":"cutoff","value":"400"}""", "value must be a finite number")]
    [InlineData("""{"op":"param","module":"filter","param":"cutoff"}""", "value must be a finite number")]
    [InlineData("""{"op":"param","module":"a b","param":"cutoff","value":1}""", "may contain only letters")]
    [InlineData("""{"op":"param","module":"filter","param":"","value":1}""", "param must be a non-empty string")]
    [InlineData("""{"op":"param","module":"filter","param":"x\u0001","value":1}""", "without control characters")]
    [InlineData("""{"op":"add","type":"gain"}""", "module must be a non-empty string")]
    [InlineData("""{"op":"save","name":"../../x.json"}""", "one plain name ending in .json")]
    [InlineData("""{"op":"save","name":"x.json","overwrite":"yes"}""", "overwrite must be true or false")]
    [InlineData("""{"id":"seven","op":"panic"}""", "id must be a whole number")]
    [InlineData("""[1,2]""", "a message is a JSON object")]
    [InlineData("""{"op":"panic","deep":[[[[[1]]]]]}""", "not a JSON message")]
    public void AMessageThatIsNotValidIsRefusedWithWhy(string json, string why)
    {
        Assert.False(Parse(json, out _, out string? error));
        Assert.Contains(why, error, StringComparison.Ordinal);
    }

    [Fact]
    public void AModuleIdOfFortyBytesIsTakenAndFortyOneAreNot()
    {
        Assert.True(Parse($$"""{"op":"remove","module":"{{new string('m', 40)}}"}""", out _, out _));
        Assert.False(Parse($$"""{"op":"remove","module":"{{new string('m', 41)}}"}""", out _, out string? error));
        Assert.Contains("at most 40 bytes", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TheTokenIsComparedWholeAndTheHostMustBeLoopbackOnLoopback()
    {
        string token = WebAccess.NewToken();
        var access = new WebAccess(token, loopbackOnly: false);
        Assert.True(access.TokenMatches(token));
        Assert.False(access.TokenMatches(token[..^1]));
        Assert.False(access.TokenMatches(token + "0"));
        Assert.False(access.TokenMatches(token.ToUpperInvariant() == token ? token.ToLowerInvariant() : token.ToUpperInvariant()));
        Assert.False(access.TokenMatches(null));
        Assert.True(new WebAccess(null, loopbackOnly: true).TokenMatches(null));
        var local = new WebAccess(null, loopbackOnly: true);
        Assert.All(["127.0.0.1:8080", "localhost:8080", "[::1]:8080", "127.0.0.2", "LOCALHOST"], h => Assert.True(local.HostAllowed(h), h));
        Assert.All(["evil.example:8080", "192.168.1.2:8080", "localhost.evil.example", ""], h => Assert.False(local.HostAllowed(h), h));
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080", "127.0.0.1:8080", true)]
    [InlineData("http://localhost:8080", "127.0.0.1:8080", false)]
    [InlineData("http://127.0.0.1:8081", "127.0.0.1:8080", false)]
    [InlineData("http://evil.example", "127.0.0.1:8080", false)]
    [InlineData("null", "127.0.0.1:8080", false)]
    [InlineData(null, "127.0.0.1:8080", false)]
    [InlineData("http://127.0.0.1:8080/path", "127.0.0.1:8080", false)]
    public void AWebSocketsOriginMustBeThePagesOwn(string? origin, string host, bool allowed) =>
        Assert.Equal(allowed, WebAccess.OriginAllowed(origin, host));

    [Fact]
    public void ABucketGivesASecondsWorthAtOnceThenItsRate()
    {
        var bucket = new TokenBucket(10, now: 0, frequency: 1000);
        Assert.Equal(10, Enumerable.Range(0, 11).Count(_ => bucket.TryTake(0)));
        Assert.Equal(100, bucket.WaitTicks(0));
        Assert.False(bucket.TryTake(99));
        Assert.True(bucket.TryTake(100));
        Assert.True(bucket.TryTake(10_000));
        Assert.Equal(9, Enumerable.Range(0, 10).Count(_ => bucket.TryTake(10_000))); // never more than a second's worth saved up
    }

    [Theory]
    [InlineData("""{"event":"failover","seq":9,"from":0,"to":1}""", "warn", "Failover at block 9: slot 0 → slot 1")]
    [InlineData("""{"event":"exited","seq":9,"slot":1,"pid":42,"code":137}""", "warn", "Worker 42 in slot 1 was killed by signal 9.")]
    [InlineData("""{"event":"exited","seq":9,"slot":1,"pid":42,"code":134}""", "warn", "Worker 42 in slot 1 was killed by signal 6.")]
    [InlineData("""{"event":"exited","seq":9,"slot":1,"pid":42,"code":3}""", "warn", "Worker 42 in slot 1 crashed (exit status 3).")]
    [InlineData("""{"event":"module_quarantined","seq":9,"module":"fx","block":1200,"reason":"crash"}""", "alert", "Module fx quarantined (crash) at block 1200")]
    [InlineData("""{"event":"underruns","seq":9,"count":187,"first":1115,"last":1301}""", "alert", "187 more blocks of silence (blocks 1115–1301).")]
    [InlineData("""{"event":"resynced","seq":9,"slot":0,"pid":4,"verified_blocks":16}""", "ok", "Slot 0 verified (16 identical blocks): standby again.")]
    [InlineData("""{"event":"exited","seq":9,"slot":"one","pid":[],"code":"x"}""", "warn", "Worker ? in slot one exited.")]
    [InlineData("""{"event":"something_new","seq":5}""", "info", "something_new at block 5.")]
    public void EachEventIsOneSentence(string line, string severity, string text)
    {
        TimelineEntry entry = Timeline.Describe(line)!;
        Assert.Equal(severity, entry.Severity);
        Assert.Contains(text, entry.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"event":"checkpoint","seq":1875,"block":1875}""")]
    [InlineData("not json")]
    [InlineData("""{"no_event":1}""")]
    [InlineData("""[1]""")]
    public void RoutineEventsAndNonEventsAreNotShown(string line) => Assert.Null(Timeline.Describe(line));

    [Fact]
    public void ALevelsReplyOfAnotherShapeIsNotRead()
    {
        OscMessage good = new("/perpetuo/levels", [10L, 0, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0, 1, "active", 7, 0.1f, 0, 1f, 0f, 2, 0.5f, 0.25f]);
        EngineLevels levels = EngineLevels.TryRead(good)!;
        Assert.Equal(("active", 7), (levels.Slots[0].Role, levels.Slots[0].Pid));
        Assert.Equal([0.5f, 0.25f], levels.Peaks);
        Assert.Null(EngineLevels.TryRead(new OscMessage("/perpetuo/levels", [10L, 0])));
        Assert.Null(EngineLevels.TryRead(new OscMessage("/perpetuo/levels", [10L, 0, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0, 3, "active"])));
        Assert.Null(EngineLevels.TryRead(new OscMessage("/perpetuo/levels", [10L, 0, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0, 0, 2, 0.5f])));
    }

    [Fact]
    public void ALinkOrADirectoryOfThePatchesNameIsNeverWrittenThroughNorListed()
    {
        DirectoryInfo dir = Directory.CreateTempSubdirectory("perpetuo-store-");
        try
        {
            string outside = Path.Combine(dir.FullName, "..", $"outside-{Guid.NewGuid():N}.json");
            File.WriteAllText(outside, "theirs");
            File.CreateSymbolicLink(Path.Combine(dir.FullName, "link.json"), outside);
            Directory.CreateDirectory(Path.Combine(dir.FullName, "dir.json"));
            File.WriteAllText(Path.Combine(dir.FullName, "mine.json"), """{"modules": []}""");
            var store = new PatchStore(new PatchDirectory(dir.FullName), maxListed: 500);
            string patch = """{"modules": [{"type": "gain", "id": "g"}]}""";

            Assert.Equal(["mine.json"], store.List());
            Assert.False(store.TrySave("link.json", patch, overwrite: false, out string m1));
            Assert.False(store.TrySave("link.json", patch, overwrite: true, out string m2));
            Assert.Contains("not a regular file", m2, StringComparison.Ordinal);
            Assert.False(store.TrySave("dir.json", patch, overwrite: true, out _));
            Assert.Equal("theirs", File.ReadAllText(outside));
            Assert.False(store.TrySave("junk.json", "theirs", overwrite: false, out string m3)); // not a patch
            Assert.DoesNotContain("theirs", m1 + m2 + m3, StringComparison.Ordinal);
            Assert.True(store.TrySave("mine.json", patch, overwrite: true, out _));
            Assert.Equal(patch, File.ReadAllText(Path.Combine(dir.FullName, "mine.json")));
            File.Delete(outside);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void AtMostTheLimitOfPatchesIsListed()
    {
        DirectoryInfo dir = Directory.CreateTempSubdirectory("perpetuo-store-");
        try
        {
            for (int i = 0; i < 4; i++)
            {
                File.WriteAllText(Path.Combine(dir.FullName, $"p{i}.json"), "{}");
            }
            Assert.Equal(4, new PatchStore(new PatchDirectory(dir.FullName), maxListed: 4).List().Count);
            Assert.Equal(["p0.json", "p1.json", "p2.json"], new PatchStore(new PatchDirectory(dir.FullName), maxListed: 3).List());
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
