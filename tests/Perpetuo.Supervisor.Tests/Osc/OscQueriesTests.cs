using System.Net;
using System.Net.Sockets;
using Perpetuo.Control.Catalog;
using Perpetuo.Control.Commands;
using Perpetuo.Control.Osc;
using Perpetuo.Control.Patches;
using Perpetuo.Supervisor.Control;
using Perpetuo.Supervisor.Osc;

namespace Perpetuo.Supervisor.Tests.Osc;

/// <summary>The queries a page polls: /perpetuo/levels, /perpetuo/events and /perpetuo/patch/current.</summary>
[Collection(AllocationCollection.Name)]
public sealed class OscQueriesTests : IDisposable
{
    private readonly ServerFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public void LevelsCarryTheCountersEverySlotOfAnyNumberAndEveryChannelsPeak()
    {
        _f.Target.Counters = new EngineGlance(1234, 2, 5, 3, 1, 77, 0, 1, 0, 0);
        _f.Target.Slots =
        [
            new(SlotRole.Dead, 0, 0, 4, 0, 0), new(SlotRole.Standby, 201, 0.2f, 1, 1.5, 0), new(SlotRole.Active, 202, 0.3f, 0, 0.5, 0),
        ];
        _f.Target.Peaks = [0.9f, 0.1f, 0.5f];
        _f.Server.Events.Add("""{"event":"failover"}""");
        _f.Client.Request(new OscMessage("/perpetuo/param", "filter", "cutoff", 500f)); // the graph's version moves

        OscMessage m = _f.Client.Request(new OscMessage("/perpetuo/levels"));

        Assert.Equal("/perpetuo/levels", m.Address);
        Assert.Equal(",hihhhhhhhiisififfsififfsififfifff", Tags(m));
        Assert.Equal((1234L, 2, 5L, 3L, 1L), (m.Arguments[0].AsInt64(), m.Arguments[1].AsInt32(), m.Arguments[2].AsInt64(), m.Arguments[3].AsInt64(), m.Arguments[4].AsInt64()));
        Assert.Equal((1L, _f.Server.Model.Version, 77L, 0L, 1), (m.Arguments[5].AsInt64(), m.Arguments[6].AsInt64(), m.Arguments[7].AsInt64(), m.Arguments[8].AsInt64(), m.Arguments[9].AsInt32()));
        Assert.Equal(3, m.Arguments[10].AsInt32());
        Assert.Equal(["dead", "standby", "active"], [m.Arguments[11].AsString(), m.Arguments[17].AsString(), m.Arguments[23].AsString()]);
        Assert.Equal((202, 0.3f, 0, 0.5f), (m.Arguments[24].AsInt32(), m.Arguments[25].AsFloat(), m.Arguments[26].AsInt32(), m.Arguments[27].AsFloat()));
        Assert.Equal(4, m.Arguments[14].AsInt32());
        Assert.Equal(3, m.Arguments[29].AsInt32());
        Assert.Equal([0.9f, 0.1f, 0.5f], m.Arguments.Skip(30).Select(a => a.AsFloat()));
    }

    [Fact]
    public void TheGraphsVersionCountsAcceptedGraphCommandsAndNotNotes()
    {
        long v0 = _f.Server.Model.Version;
        _f.Client.Request(new OscMessage("/perpetuo/note/on", 60, 1f));
        Assert.Equal(v0, _f.Server.Model.Version);
        _f.Client.Request(new OscMessage("/perpetuo/module/add", "osc", "bass", "freq", 55f));
        Assert.Equal(v0 + 2, _f.Server.Model.Version); // the add and its parameter
        _f.Client.Request(new OscMessage("/perpetuo/param", "bass", "freq", 1e9f)); // refused: no change
        Assert.Equal(v0 + 2, _f.Server.Model.Version);
    }

    [Fact]
    public void LevelsRequestsAllocateNothingOnceWarm()
    {
        byte[] request = new OscMessage("/perpetuo/levels").ToArray();
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        client.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        client.ReceiveBufferSize = 1 << 20;
        for (int round = 0; round < 4; round++)
        {
            if (round == 2)
            {
                Thread.Sleep(300); // rounds 0 and 1 warm the path up; the runtime's tier-up of what they ran lands meanwhile
            }
            for (int i = 0; i < 200; i++)
            {
                client.SendTo(request, _f.Server.LocalEndPoint);
            }
            long packets = _f.Server.Packets + 200;
            long before = GC.GetAllocatedBytesForCurrentThread();
            while (_f.Server.Packets < packets)
            {
                _f.Server.Poll(_f.Target);
            }
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            var buffer = new byte[65536];
            for (int i = 0; i < 200; i++)
            {
                Assert.True(client.Poll(2_000_000, SelectMode.SelectRead), "a levels reply is missing");
                Assert.Equal("/perpetuo/levels", ((OscMessage)OscPacket.Parse(buffer.AsSpan(0, client.Receive(buffer)))).Address);
            }
            if (round >= 2)
            {
                Assert.Equal(0, allocated);
            }
        }
    }

    [Fact]
    public void OneLevelsReplyPerPacketHoweverManyAreAsked()
    {
        _f.Client.Send(new OscBundle(OscTimeTag.Immediate, new OscMessage("/perpetuo/levels"), new OscMessage("/perpetuo/levels")));
        Assert.Single(_f.Client.ReceiveAll());
        Assert.Equal(1, _f.Server.RepliesSuppressed);
    }

    [Fact]
    public void EventsAfterNAreTheLinesAfterNAndTheReplySaysWhereTheKeptLinesStart()
    {
        for (int i = 1; i <= 40; i++)
        {
            _f.Server.Events.Add($$"""{"event":"e{{i}}"}""");
        }
        OscMessage late = _f.Client.Request(new OscMessage("/perpetuo/events", 35L));
        Assert.Equal((40L, 36L), (late.Arguments[0].AsInt64(), late.Arguments[1].AsInt64()));
        Assert.Equal(Enumerable.Range(36, 5).Select(i => $$"""{"event":"e{{i}}"}"""), late.Arguments.Skip(2).Select(a => a.AsString()));

        OscMessage behind = _f.Client.Request(new OscMessage("/perpetuo/events")); // after 0: only the last 32 are kept
        Assert.Equal((40L, 40L - EventFeed.Capacity + 1), (behind.Arguments[0].AsInt64(), behind.Arguments[1].AsInt64()));
        Assert.Equal(OscControlServer.EventsPerReply, behind.Arguments.Count - 2); // N lines per reply, not N + 1

        OscMessage none = _f.Client.Request(new OscMessage("/perpetuo/events", 40));
        Assert.Equal((40L, 41L, 2), (none.Arguments[0].AsInt64(), none.Arguments[1].AsInt64(), none.Arguments.Count));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1.5)]
    [InlineData(9007199254740994.0)]
    public void AnEventsNumberThatIsNotAWholeNumberIsRefused(double after)
    {
        OscMessage reply = _f.Client.Request(new OscMessage("/perpetuo/events", after));
        Assert.Equal("/perpetuo/error", reply.Address);
        Assert.Contains("whole number", reply.Arguments[1].AsString());
    }

    [Fact]
    public void PatchCurrentIsTheGraphAsAPatchWithEveryValueAndLoadsBackToTheSameGraph()
    {
        _f.Client.Request(new OscMessage("/perpetuo/param", "filter", "resonance", 0.75f));
        OscMessage reply = _f.Client.Request(new OscMessage("/perpetuo/patch/current"));
        Assert.Equal(",iiis", Tags(reply));
        Assert.Equal((0, 1), (reply.Arguments[0].AsInt32(), reply.Arguments[1].AsInt32()));
        string json = reply.Arguments[3].AsString();
        Assert.Equal(unchecked((int)PatchFile.Hash(json)), reply.Arguments[2].AsInt32());
        PatchSpec patch = PatchFile.Parse(json);
        Assert.Equal(["lead", "filter"], patch.Modules.Select(m => m.Id));
        Assert.Equal([("cutoff", 1400f), ("resonance", 0.75f)], patch.Modules[1].Params.Select(p => (p.Key, p.Value)));
        Assert.Equal([("freq", 440f), ("gain", 0.5f)], patch.Modules[0].Params.Select(p => (p.Key, p.Value))); // defaults too
        Assert.Equal(_f.Server.Model.ToJson(), GraphModel.FromPatch(patch, ServerFixture.Catalog).ToJson());
    }

    [Fact]
    public void ALargeGraphComesInPartsThatJoinToOnePatch()
    {
        // Ids of 40 bytes make each module ~130 characters: 300 of them pass one part (but not the module limit's 256
        // modules: built on the model directly, as a test may).
        for (int i = 0; i < 250; i++)
        {
            _f.Server.Model.Apply(ControlCommand.AddModule("osc", $"oscillator-with-a-long-name-{i:D12}"));
        }
        OscMessage first = _f.Client.Request(new OscMessage("/perpetuo/patch/current"));
        int parts = first.Arguments[1].AsInt32();
        Assert.True(parts > 1, $"{parts} part(s)");
        var text = new System.Text.StringBuilder(first.Arguments[3].AsString());
        Assert.Equal(OscControlServer.PatchPartChars, text.Length);
        for (int p = 1; p < parts; p++)
        {
            OscMessage part = _f.Client.Request(new OscMessage("/perpetuo/patch/current", p));
            Assert.Equal((p, parts, first.Arguments[2].AsInt32()), (part.Arguments[0].AsInt32(), part.Arguments[1].AsInt32(), part.Arguments[2].AsInt32()));
            text.Append(part.Arguments[3].AsString());
        }
        Assert.Equal(252, PatchFile.Parse(text.ToString()).Modules.Count);
        Assert.Equal(first.Arguments[2].AsInt32(), unchecked((int)PatchFile.Hash(text.ToString())));

        OscMessage beyond = _f.Client.Request(new OscMessage("/perpetuo/patch/current", parts)); // parts N: 0..N-1
        Assert.Equal("/perpetuo/error", beyond.Address);
        Assert.Contains($"the patch has {parts}", beyond.Arguments[1].AsString());
    }

    [Fact]
    public void APatchAskedAgainForAnUnchangedGraphIsNotBuiltAgain()
    {
        for (int i = 0; i < 100; i++)
        {
            _f.Server.Model.Apply(ControlCommand.AddModule("osc", $"o{i}")); // ~13 KB of JSON: 12 replies stay within the reply budget
        }
        byte[] request = new OscMessage("/perpetuo/patch/current").ToArray();
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        client.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        client.ReceiveBufferSize = 8 << 20;
        client.SendTo(request, _f.Server.LocalEndPoint);
        while (_f.Server.Packets < 1)
        {
            _f.Server.Poll(_f.Target);
        }
        for (int i = 0; i < 10; i++)
        {
            client.SendTo(request, _f.Server.LocalEndPoint);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        while (_f.Server.Packets < 11)
        {
            _f.Server.Poll(_f.Target);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 10 * 1024, $"{allocated} B for 10 requests of an unchanged 13 KB patch"); // the request objects only
        _f.Server.Model.Apply(ControlCommand.SetParam("o1", "freq", 220));
        client.SendTo(request, _f.Server.LocalEndPoint);
        var buffer = new byte[65536];
        OscMessage last = null!;
        for (long deadline = Environment.TickCount64 + 2000; Environment.TickCount64 < deadline && _f.Server.Packets < 12;)
        {
            _f.Server.Poll(_f.Target);
        }
        while (client.Poll(200_000, SelectMode.SelectRead))
        {
            last = (OscMessage)OscPacket.Parse(buffer.AsSpan(0, client.Receive(buffer)));
        }
        Assert.Contains("\"freq\": 220", last.Arguments[3].AsString(), StringComparison.Ordinal); // a changed graph is built anew
    }

    [Fact]
    public void AFeedKeepsExactlyItsCapacity()
    {
        var feed = new EventFeed();
        for (int i = 1; i <= EventFeed.Capacity + 1; i++)
        {
            feed.Add($"line {i}");
        }
        Assert.Null(feed.Line(1)); // N + 1 written: the first is gone
        Assert.Equal("line 2", feed.Line(2));
        Assert.Equal($"line {EventFeed.Capacity + 1}", feed.Line(EventFeed.Capacity + 1));
        Assert.Null(feed.Line(EventFeed.Capacity + 2));
        Assert.Equal((2L, EventFeed.Capacity + 1L), feed.After(0));
    }

    private static string Tags(OscMessage m) => "," + string.Concat(m.Arguments.Select(a => (char)a.Type));
}
