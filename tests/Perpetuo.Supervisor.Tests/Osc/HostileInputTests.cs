using Perpetuo.Control.Osc;
using Perpetuo.Control.Patches;
using Perpetuo.Protocol;
using Perpetuo.Supervisor.Osc;

namespace Perpetuo.Supervisor.Tests.Osc;

/// <summary>What one datagram of any size or content can make the control port do: bounded work, bounded replies.</summary>
public sealed class HostileInputTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("perpetuo-patches-");
    private readonly StringWriter _log = new();
    private readonly ServerFixture _f;

    public HostileInputTests() => _f = new ServerFixture(new PatchDirectory(_dir.FullName), _log);

    public void Dispose()
    {
        _f.Dispose();
        _dir.Delete(recursive: true);
    }

    private static string Arg(OscMessage m, int i) => m.Arguments[i].AsString();

    private static OscBundle Bundle(int n, Func<int, OscPacket> message) =>
        new(OscTimeTag.Immediate, Enumerable.Range(0, n).Select(message));

    [Fact]
    public void ABundleFullOfStatusRequestsGetsOneReply()
    {
        _f.Client.Send(Bundle(Limits.MessagesPerPacket, _ => new OscMessage("/perpetuo/status")));
        List<OscMessage> replies = _f.Client.ReceiveAll();
        Assert.Equal("/perpetuo/status", Assert.Single(replies).Address);
        Assert.Equal(Limits.MessagesPerPacket - 1, _f.Server.RepliesSuppressed);
    }

    [Fact]
    public void APacketOfMoreMessagesThanTheLimitIsRefusedWholeWithOneReply()
    {
        _f.Client.Send(Bundle(Limits.MessagesPerPacket + 1, _ => new OscMessage("/perpetuo/notes/off")));
        OscMessage reply = Assert.Single(_f.Client.ReceiveAll());
        Assert.Equal("/perpetuo/error", reply.Address);
        Assert.Contains($"at most {Limits.MessagesPerPacket}", Arg(reply, 1));
        Assert.Equal(0, _f.Target.Calls);
    }

    [Fact]
    public void APacketOfExactlyTheLimitIsHandledInOneSubmission()
    {
        _f.Client.Send(Bundle(Limits.MessagesPerPacket, _ => new OscMessage("/perpetuo/notes/off")));
        List<OscMessage> replies = _f.Client.ReceiveAll();
        Assert.Equal(Limits.RepliesPerPacket, replies.Count); // one done per message, up to the reply budget
        Assert.All(replies, r => Assert.Equal("/perpetuo/done", r.Address));
        Assert.Equal(1, _f.Target.Calls);
        Assert.Equal(Limits.MessagesPerPacket, _f.Target.Submissions.Sum(s => s.Records.Length));
    }

    [Fact]
    public void AfterTheFirstRefusedMessageTheRestOfThePacketIsCountedNotParsed()
    {
        _f.Client.Send(Bundle(200, i => new OscMessage($"/nowhere/{i}")));
        OscMessage reply = Assert.Single(_f.Client.ReceiveAll());
        Assert.Equal(("/perpetuo/error", "/nowhere/0"), (reply.Address, Arg(reply, 0)));
        Assert.Equal(200, _f.Server.Rejected);
        Assert.Equal(0, _f.Target.Calls);
    }

    [Fact]
    public void RepliesToOneDatagramAreCapped()
    {
        _f.Client.Send(Bundle(100, _ => new OscMessage("/perpetuo/notes/off")));
        List<OscMessage> replies = _f.Client.ReceiveAll();
        Assert.Equal(Limits.RepliesPerPacket, replies.Count);
        Assert.Equal(100 - Limits.RepliesPerPacket, _f.Server.RepliesSuppressed);
    }

    [Fact]
    public void ABundleOfImmediateAndTimedMessagesIsOneSubmissionAcceptedOrRefusedWhole()
    {
        var bundle = new OscBundle(OscTimeTag.Immediate,
            new OscMessage("/perpetuo/module/add", "osc", "bass"),
            new OscBundle(OscTimeTag.FromDateTime(DateTime.UtcNow.AddSeconds(1)), new OscMessage("/perpetuo/param", "bass", "freq", 55f)),
            new OscMessage("/perpetuo/notes/off"));
        _f.Target.RefuseWith = "9000 commands would take effect at block 1003";
        _f.Client.Send(bundle);
        List<OscMessage> refused = _f.Client.ReceiveAll();
        Assert.Equal(3, refused.Count);
        Assert.All(refused, r => Assert.Equal("/perpetuo/error", r.Address));
        Assert.Null(_f.Server.Model.Find("bass")); // nothing of the packet applied
        _f.Target.RefuseWith = null;
        _f.Client.Send(bundle);
        Assert.Equal(3, _f.Client.ReceiveAll().Count(r => r.Address == "/perpetuo/done"));
        Assert.Equal(2, _f.Target.Calls);
        Assert.Equal(3, _f.Target.Submissions.Count); // three groups (immediate, timed, immediate) in the one accepted call
        Assert.NotNull(_f.Server.Model.Find("bass"));
    }

    [Fact]
    public void ATimeTagMoreThanADayAheadIsRefusedNotPlayedEarly()
    {
        var far = new OscBundle(OscTimeTag.FromDateTime(DateTime.UtcNow.AddDays(2)), new OscMessage("/perpetuo/notes/off"));
        OscMessage reply = _f.Client.Request(far);
        Assert.Equal("/perpetuo/error", reply.Address);
        Assert.Contains("more than 86400 s ahead", Arg(reply, 1));
        Assert.Equal(0, _f.Target.Calls);
    }

    [Fact]
    public void APatchInThePatchDirectoryIsLoadedOffTheControlThreadAndSubmittedWhole()
    {
        File.WriteAllText(Path.Combine(_dir.FullName, "pad.json"), """{"modules":[{"type":"filter","id":"f2","params":{"cutoff":300}}]}""");
        OscMessage reply = _f.Client.Request(new OscMessage("/perpetuo/patch/load", "pad.json"));
        Assert.Equal(("/perpetuo/done", "/perpetuo/patch/load"), (reply.Address, Arg(reply, 0)));
        Assert.Equal(3, Assert.Single(_f.Target.Submissions).Records.Length); // clear, add, set
        Assert.Equal(["f2"], _f.Server.Model.Modules.Select(m => m.Id));
    }

    [Fact]
    public void AnInvalidPatchIsRefusedWithoutEchoingTheFile()
    {
        File.WriteAllText(Path.Combine(_dir.FullName, "bad.json"), """{"modules":[{"type":"SECRET-TOKEN-42","id":"x"}]}""");
        OscMessage reply = _f.Client.Request(new OscMessage("/perpetuo/patch/load", "bad.json"));
        Assert.Equal("/perpetuo/error", reply.Address);
        Assert.DoesNotContain("SECRET", Arg(reply, 1), StringComparison.Ordinal);
        Assert.Contains("SECRET-TOKEN-42", _log.ToString(), StringComparison.Ordinal); // the operator's own log says why
        Assert.Empty(_f.Target.Submissions);
    }

    [Fact]
    public void APatchThatIsALinkIsNotFollowed()
    {
        string outside = Path.GetTempFileName();
        try
        {
            File.WriteAllText(outside, """{"modules":[]}""");
            File.CreateSymbolicLink(Path.Combine(_dir.FullName, "link.json"), outside);
            OscMessage reply = _f.Client.Request(new OscMessage("/perpetuo/patch/load", "link.json"));
            Assert.Equal("/perpetuo/error", reply.Address);
            Assert.Contains("not a regular file", Arg(reply, 1));
            Assert.Empty(_f.Target.Submissions);
        }
        finally
        {
            File.Delete(outside);
        }
    }

    [Fact]
    public void APatchLoadMustBeAloneInItsPacket()
    {
        File.WriteAllText(Path.Combine(_dir.FullName, "pad.json"), """{"modules":[]}""");
        _f.Client.Send(new OscBundle(OscTimeTag.Immediate, new OscMessage("/perpetuo/patch/load", "pad.json"), new OscMessage("/perpetuo/notes/off")));
        List<OscMessage> replies = _f.Client.ReceiveAll();
        Assert.Equal(2, replies.Count);
        Assert.All(replies, r => Assert.Contains("must be sent alone", Arg(r, 1)));
        Assert.Equal(0, _f.Target.Calls);
    }

    [Fact]
    public void PatchLoadingIsOffWithoutAPatchDirectory()
    {
        using var plain = new ServerFixture();
        OscMessage reply = plain.Client.Request(new OscMessage("/perpetuo/patch/load", "pad.json"));
        Assert.Contains("--patch-dir", Arg(reply, 1));
    }
}
