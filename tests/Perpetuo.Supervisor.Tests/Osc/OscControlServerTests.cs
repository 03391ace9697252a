using System.Buffers.Binary;
using System.Text.Json;
using Perpetuo.Control.Osc;
using Perpetuo.Transport;
using Perpetuo.Protocol;

namespace Perpetuo.Supervisor.Tests.Osc;

[Collection(AllocationCollection.Name)]
public sealed class OscControlServerTests : IDisposable
{
    private readonly ServerFixture _f = new();

    public void Dispose() => _f.Dispose();

    private static string Arg(OscMessage m, int i) => m.Arguments[i].AsString();

    [Fact]
    public void ParamIsSubmittedAsOneSetParamAsSoonAsPossibleAndAnsweredDone()
    {
        OscMessage reply = _f.Client.Request(new OscMessage("/perpetuo/param", "filter", "cutoff", 400f, 1.5f));
        Assert.Equal(("/perpetuo/done", "/perpetuo/param"), (reply.Address, Arg(reply, 0)));
        (CommandRecord[] records, long atBlock, _) = Assert.Single(_f.Target.Submissions);
        CommandRecord r = Assert.Single(records);
        Assert.Equal(((int)CommandKind.SetParam, "filter", "cutoff", 400f, 1.5f), (r.Kind, r.IdString, r.NameString, r.Value, r.Value2));
        Assert.Equal(-1, atBlock);
        Assert.Equal(400f, _f.Server.Model.Find("filter")!.Get("cutoff"));
    }

    [Fact]
    public void IntegerValueFromLibloStyleSendersIsAccepted()
    {
        OscMessage reply = _f.Client.Request(new OscMessage("/perpetuo/param", "filter", "cutoff", 400));
        Assert.Equal("/perpetuo/done", reply.Address);
        Assert.Equal(400f, Assert.Single(Assert.Single(_f.Target.Submissions).Records).Value);
    }

    [Fact]
    public void InvalidRequestIsAnsweredWithAnErrorAndChangesNothing()
    {
        string before = _f.Server.Model.ToJson();
        OscMessage reply = _f.Client.Request(new OscMessage("/perpetuo/param", "filter", "cutoff", 1e6f));
        Assert.Equal(("/perpetuo/error", "/perpetuo/param"), (reply.Address, Arg(reply, 0)));
        Assert.Contains("out of range [20, 20000]", Arg(reply, 1));
        Assert.Empty(_f.Target.Submissions);
        Assert.Equal(1, _f.Target.Rejected);
        Assert.Equal(1, _f.Server.Rejected);
        Assert.Equal(before, _f.Server.Model.ToJson());
    }

    [Fact]
    public void NotesAreSubmittedWithNoteAndVelocity()
    {
        Assert.Equal("/perpetuo/done", _f.Client.Request(new OscMessage("/perpetuo/note/on", 60, 0.8f)).Address);
        Assert.Equal("/perpetuo/done", _f.Client.Request(new OscMessage("/perpetuo/note/off", 60)).Address);
        Assert.Equal("/perpetuo/done", _f.Client.Request(new OscMessage("/perpetuo/notes/off")).Address);
        Assert.Equal(
            [((int)CommandKind.NoteOn, 60f, 0.8f), ((int)CommandKind.NoteOff, 60f, 0f), ((int)CommandKind.AllNotesOff, 0f, 0f)],
            _f.Target.Submissions.Select(s => (s.Records[0].Kind, s.Records[0].Value, s.Records[0].Value2)));
    }

    [Fact]
    public void ModuleAddAndItsParamsGoInOneSubmission()
    {
        _f.Client.Request(new OscMessage("/perpetuo/module/add", "osc", "bass", "freq", 55, "gain", 0.25f));
        CommandRecord[] records = Assert.Single(_f.Target.Submissions).Records;
        Assert.Equal(
            [((int)CommandKind.AddModule, "bass", "osc"), ((int)CommandKind.SetParam, "bass", "freq"), ((int)CommandKind.SetParam, "bass", "gain")],
            records.Select(r => (r.Kind, r.IdString, r.NameString)));
        Assert.Equal(55f, _f.Server.Model.Find("bass")!.Get("freq"));
    }

    [Fact]
    public void ModulesReplyFollowsAcceptedCommands()
    {
        _f.Client.Request(new OscMessage("/perpetuo/module/remove", "lead"));
        _f.Client.Request(new OscMessage("/perpetuo/param", "filter", "resonance", 0.7f));
        OscMessage reply = _f.Client.Request(new OscMessage("/perpetuo/modules"));
        Assert.Equal("/perpetuo/modules", reply.Address);
        using JsonDocument doc = JsonDocument.Parse(Arg(reply, 0));
        JsonElement only = Assert.Single(doc.RootElement.EnumerateArray());
        Assert.Equal("filter", only.GetProperty("id").GetString());
        JsonElement resonance = only.GetProperty("params").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "resonance");
        Assert.Equal(0.7f, resonance.GetProperty("value").GetSingle());
    }

    [Fact]
    public void StatusReplyIsTheEngineJsonWithTheServerCounters()
    {
        _f.Client.Send([1, 2, 3, 4]);
        OscMessage reply = _f.Client.Request(new OscMessage("/perpetuo/status"));
        Assert.Equal("/perpetuo/status", reply.Address);
        using JsonDocument doc = JsonDocument.Parse(Arg(reply, 0));
        Assert.Equal(1000, doc.RootElement.GetProperty("seq").GetInt64());
        JsonElement osc = doc.RootElement.GetProperty("osc");
        Assert.Equal(1, osc.GetProperty("malformed").GetInt64());
        Assert.Equal(2, osc.GetProperty("packets").GetInt64());
    }

    [Fact]
    public void MalformedMessageWithAReadableAddressIsCountedAndAnswered()
    {
        byte[] packet = new OscMessage("/perpetuo/param", "filter", "cutoff", 400f).ToArray();
        OscMessage reply = _f.Client.Request(new OscMessage("/perpetuo/status")); // warm the path
        _f.Client.Send(packet[..^4]); // truncated inside the float
        reply = _f.Client.Receive()!;
        Assert.Equal(("/perpetuo/error", "/perpetuo/param"), (reply.Address, Arg(reply, 0)));
        Assert.Contains("malformed OSC packet", Arg(reply, 1));
        Assert.Equal(1, _f.Server.Malformed);
        Assert.Empty(_f.Target.Submissions);
    }

    [Theory]
    [InlineData(new byte[] { 1, 2, 3, 4 })]
    [InlineData(new byte[] { (byte)'/', (byte)'a', (byte)'b' })]
    [InlineData(new byte[0])]
    public void GarbageWithoutAnAddressIsOnlyCounted(byte[] packet)
    {
        _f.Client.Send(packet);
        Assert.Null(_f.Client.Receive(300));
        Assert.Equal(1, _f.Server.Malformed);
        Assert.Equal(1, _f.Server.Packets);
        Assert.Empty(_f.Target.Submissions);
    }

    [Fact]
    public void MalformedBundleChangesNothingEvenIfItsFirstMessageIsGood()
    {
        byte[] good = new OscBundle(OscTimeTag.Immediate,
            new OscMessage("/perpetuo/param", "filter", "cutoff", 400f),
            new OscMessage("/perpetuo/note/on", 60, 1f)).ToArray();
        BinaryPrimitives.WriteInt32BigEndian(good.AsSpan(16 + 4 + 36), 9999); // second element's size runs past the end
        _f.Client.Send(good);
        Assert.Null(_f.Client.Receive(300));
        Assert.Equal(1, _f.Server.Malformed);
        Assert.Empty(_f.Target.Submissions);
        Assert.Equal(1400f, _f.Server.Model.Find("filter")!.Get("cutoff"));
    }

    [Fact]
    public void MessagesOfOneBundleShareOneSubmissionAndEachIsAnswered()
    {
        _f.Client.Send(new OscBundle(OscTimeTag.Immediate,
            new OscMessage("/perpetuo/module/add", "osc", "bass"),
            new OscMessage("/perpetuo/param", "bass", "freq", 55f),
            new OscMessage("/perpetuo/note/on", 40, 1f)));
        List<OscMessage> replies = _f.Client.ReceiveAll();
        Assert.Equal(["/perpetuo/module/add", "/perpetuo/param", "/perpetuo/note/on"], replies.Select(r => Arg(r, 0)));
        Assert.All(replies, r => Assert.Equal("/perpetuo/done", r.Address));
        (CommandRecord[] records, _, _) = Assert.Single(_f.Target.Submissions);
        Assert.Equal([CommandKind.AddModule, CommandKind.SetParam, CommandKind.NoteOn], records.Select(r => (CommandKind)r.Kind));
    }

    [Fact]
    public void NestedBundlesWithDifferentTimeTagsAreSubmittedSeparately()
    {
        OscTimeTag later = OscTimeTag.FromDateTime(DateTime.UtcNow.AddSeconds(1));
        _f.Client.Send(new OscBundle(OscTimeTag.Immediate,
            new OscMessage("/perpetuo/note/on", 60, 1f),
            new OscBundle(later, new OscMessage("/perpetuo/note/off", 60), new OscMessage("/perpetuo/notes/off"))));
        Assert.Equal(3, _f.Client.ReceiveAll().Count);
        Assert.Equal(2, _f.Target.Submissions.Count);
        Assert.Equal(-1, _f.Target.Submissions[0].AtBlock);
        Assert.Equal(2, _f.Target.Submissions[1].Records.Length);
        // 1 s ahead at 48 kHz / 256 is 187.5 blocks after NextBlock 1000 (less the time the test took to get here).
        Assert.InRange(_f.Target.Submissions[1].AtBlock, 1180, 1188);
    }

    [Fact]
    public void BundleWithOneInvalidMessageAppliesNone()
    {
        _f.Client.Send(new OscBundle(OscTimeTag.Immediate,
            new OscMessage("/perpetuo/module/add", "osc", "bass"),
            new OscMessage("/perpetuo/param", "bass", "cutoff", 55f)));
        List<OscMessage> replies = _f.Client.ReceiveAll();
        Assert.All(replies, r => Assert.Equal("/perpetuo/error", r.Address));
        Assert.Contains(replies, r => Arg(r, 1).Contains("unknown parameter \"cutoff\"", StringComparison.Ordinal));
        Assert.Contains(replies, r => Arg(r, 1).Contains("applies completely or not at all", StringComparison.Ordinal));
        Assert.Empty(_f.Target.Submissions);
        Assert.Null(_f.Server.Model.Find("bass"));
    }

    [Fact]
    public void PastBundleIsSubmittedForABlockAlreadyPastSoTheEngineCountsItLate()
    {
        _f.Client.Request(new OscBundle(OscTimeTag.FromDateTime(DateTime.UtcNow.AddSeconds(-1)), new OscMessage("/perpetuo/notes/off")));
        long atBlock = Assert.Single(_f.Target.Submissions).AtBlock;
        Assert.InRange(atBlock, 0, _f.Target.NextBlock - 1);
    }

    [Fact]
    public void FullCommandRingRefusalGoesBackAsAnErrorAndTheModelStaysUnchanged()
    {
        _f.Target.RefuseWith = "command ring of slot 0 is full";
        OscMessage reply = _f.Client.Request(new OscMessage("/perpetuo/module/add", "osc", "bass"));
        Assert.Equal(("/perpetuo/error", "command ring of slot 0 is full"), (reply.Address, Arg(reply, 1)));
        Assert.Null(_f.Server.Model.Find("bass"));
    }

    [Fact]
    public void FaultIsForwardedOnlyWhenTheEngineAllowsIt()
    {
        OscMessage refused = _f.Client.Request(new OscMessage("/perpetuo/fault", 0, "crash"));
        Assert.Equal("/perpetuo/error", refused.Address);
        Assert.Contains("--allow-fault-injection", Arg(refused, 1));
        _f.Target.AllowFaults = true;
        Assert.Equal("/perpetuo/done", _f.Client.Request(new OscMessage("/perpetuo/fault", 1, "stall", 30f, 4f)).Address);
        Assert.Equal((1, CommandKind.FaultStall, 30f, 4f), Assert.Single(_f.Target.Faults));
    }

    [Fact]
    public void UnknownAddressIsAnsweredWithTheKnownOnes()
    {
        OscMessage reply = _f.Client.Request(new OscMessage("/volume", 1f));
        Assert.Equal(("/perpetuo/error", "/volume"), (reply.Address, Arg(reply, 0)));
        Assert.Contains("/perpetuo/param", Arg(reply, 1));
    }

    [Fact]
    public void OnePollHandlesAtMostTheBoundAndTheRestWaitsForTheNextTick()
    {
        byte[] packet = new OscMessage("/perpetuo/notes/off").ToArray();
        using var sender = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
        for (int i = 0; i < Supervisor.Osc.OscControlServer.MaxDatagramsPerPoll + 10; i++)
        {
            sender.SendTo(packet, _f.Server.LocalEndPoint);
        }
        Thread.Sleep(100);
        _f.Server.Poll(_f.Target);
        // Bounded by count and by time (half a millisecond of datagrams after the first): never all in one tick.
        Assert.InRange(_f.Server.Packets, 1, Supervisor.Osc.OscControlServer.MaxDatagramsPerPoll);
        for (int tick = 0; tick < 1000 && _f.Server.Packets < Supervisor.Osc.OscControlServer.MaxDatagramsPerPoll + 10; tick++)
        {
            _f.Server.Poll(_f.Target);
        }
        Assert.Equal(Supervisor.Osc.OscControlServer.MaxDatagramsPerPoll + 10, _f.Server.Packets); // none lost
    }

    [Fact]
    public void TheConstructorsWarmUpLeavesModelAndCountersUntouched()
    {
        Assert.Equal(["lead", "filter"], _f.Server.Model.Modules.Select(m => m.Id));
        Assert.Equal(1400f, _f.Server.Model.Find("filter")!.Get("cutoff"));
        Assert.Equal((0, 0, 0, 0), (_f.Server.Packets, _f.Server.Malformed, _f.Server.Accepted, _f.Server.Rejected));
        Assert.Null(_f.Client.Receive(200)); // and sent nothing
    }

    [Theory]
    [InlineData("/perpetuo/param")]
    [InlineData("/perpetuo/note/on")]
    [InlineData("/perpetuo/note/off")]
    public void ASteadyCommandStreamAllocatesNothingOnTheControlThread(string address)
    {
        // A player's knob moves and notes for hours: the server's part of each (parse, validate, model, submit, reply)
        // must make no garbage, or the audio process collects it. The target only counts what it is given.
        _f.Target.KeepSubmissions = false;
        byte[] packet = address switch
        {
            "/perpetuo/param" => new OscMessage(address, "filter", "cutoff", 400f).ToArray(),
            "/perpetuo/note/on" => new OscMessage(address, 60, 0.8f).ToArray(),
            _ => new OscMessage(address, 60).ToArray(),
        };
        using var sender = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
        sender.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        sender.ReceiveBufferSize = 1 << 20;
        byte[] reply = new byte[1024];
        long Batch(int count)
        {
            for (int i = 0; i < count; i++)
            {
                sender.SendTo(packet, _f.Server.LocalEndPoint);
            }
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int spins = 0; _f.Target.Calls < count && spins < 100_000; spins++)
            {
                _f.Server.Poll(_f.Target);
            }
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            while (sender.Available > 0)
            {
                sender.Receive(reply);
            }
            return allocated;
        }
        Batch(200); // past the JIT's tiers
        _f.Target.Calls = 0;
        Batch(200);
        _f.Target.Calls = 0;
        Thread.Sleep(300); // the runtime's tier-up of what the warm-up ran lands before the measured batch
        long bytes = Batch(200);
        Assert.Equal(200, _f.Target.Calls);
        Assert.Equal(0, bytes);
    }

    [Fact]
    public void IdlePollAllocatesNothing()
    {
        _f.Client.Request(new OscMessage("/perpetuo/param", "filter", "cutoff", 400f)); // warm up the request path
        for (int i = 0; i < 5_000; i++)
        {
            _f.Server.Poll(_f.Target); // and the idle path itself, past its JIT tier-up, before measuring it
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            _f.Server.Poll(_f.Target);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
