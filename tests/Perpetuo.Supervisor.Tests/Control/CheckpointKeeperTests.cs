using System.Diagnostics;
using Perpetuo.Protocol;
using Perpetuo.Supervisor.Callback;
using Perpetuo.Supervisor.Control;
using Perpetuo.Transport;

namespace Perpetuo.Supervisor.Tests.Control;

/// <summary>
/// The checkpoint keeper over two real slot regions played by a real <see cref="BlockReader"/> (<see cref="TwoSlots"/>),
/// the test writing what the workers would: their blocks, their snapshots.
/// </summary>
public sealed class CheckpointKeeperTests : IDisposable
{
    private const int Frames = TwoSlots.Frames;
    private const long Interval = 8;
    private const int Verify = 4;

    private readonly TwoSlots _two = new();
    private readonly SlotController[] _slots;
    private readonly AudioRingWriter[] _blocks;
    private readonly WorkerLink[] _workers;
    private readonly BlockReader _reader;
    private readonly DivergenceDispute _dispute = new();
    private readonly CommandScheduler _scheduler = new(new CommandLog());
    private readonly EventLog _events;
    private readonly List<EventLine> _lines;
    private readonly CheckpointKeeper _keeper;
    private readonly float[] _out = new float[Frames * TwoSlots.Channels];

    public CheckpointKeeperTests()
    {
        _slots = _two.Slots;
        _blocks = [.. _slots.Select(s => new AudioRingWriter(s.Region))];
        _workers = _two.Workers;
        _reader = _two.Reader;
        _events = _two.Events;
        _lines = _two.Lines;
        _keeper = new CheckpointKeeper(Interval, Verify, _slots, _scheduler, _reader, _dispute, _events);
    }

    public void Dispose() => _two.Dispose();

    /// <summary>Both workers render the same blocks and the callback plays them (the standby's hashes match), then a tick.</summary>
    private void PlayAndTick(long blocks, CheckpointKeeper? keeper = null, float standbyOffset = 0)
    {
        for (long i = 0; i < blocks; i++)
        {
            long seq = _reader.NextSeq;
            float[] block = [.. Enumerable.Range(0, Frames * TwoSlots.Channels).Select(k => MathF.Sin((seq * 1000) + k))];
            Assert.True(_blocks[0].TryWrite(seq, block));
            Assert.True(_blocks[1].TryWrite(seq, [.. block.Select(x => x + standbyOffset)]));
            _reader.TryFillBlock(_out);
            Assert.Equal(seq + 1, _reader.NextSeq);
        }
        (keeper ?? _keeper).Maintain(Stopwatch.GetTimestamp(), _reader.NextSeq);
    }

    /// <summary>The snapshot requests in a slot's command ring, consumed as the worker would.</summary>
    private List<long> Asked(int slot)
    {
        var ring = new CommandRingReader(_slots[slot].Region);
        var blocks = new List<long>();
        for (long p = 0; ring.TryPeekAt(p, out CommandRecord r); p++)
        {
            Assert.Equal((int)CommandKind.Snapshot, r.Kind);
            blocks.Add(r.ApplyBlock);
        }
        return blocks;
    }

    [Fact]
    public void NothingIsAskedBeforeAnIntervalThenTheStandbyIsAskedOnceAndTheActiveNever()
    {
        PlayAndTick(Interval - 1);
        Assert.Empty(Asked(0));
        Assert.Empty(Asked(1));

        PlayAndTick(1);
        PlayAndTick(1); // one request at a time: not asked again while it is pending
        Assert.Equal(0, _reader.ActiveSlot);
        Assert.Empty(Asked(0));
        Assert.Equal([_scheduler.EarliestStamp], Asked(1));
    }

    [Fact]
    public void TheActiveIsAskedOnlyWhenNoStandbyCanBeHeard()
    {
        _slots[1].Channel.Mode = SlotMode.VerifyOnly; // a respawned standby, not verified yet
        PlayAndTick(Interval);
        Assert.Single(Asked(0));
        Assert.Empty(Asked(1));
    }

    [Fact]
    public void ASnapshotIsKeptOnlyOnceItsWorkerWentOnMatchingForTheVerification()
    {
        PlayAndTick(Interval);
        long asked = Assert.Single(Asked(1));
        Assert.True(_workers[1].TryPublishSnapshot(asked, [1, 2, 3]));
        PlayAndTick(1); // collected and proposed
        Assert.Null(_keeper.Newest);

        PlayAndTick(Verify + 1);
        Assert.NotNull(_keeper.Newest);
        Assert.Equal(asked, _keeper.Newest.Seq);
        Assert.Equal([1, 2, 3], _keeper.Newest.Snapshot);
        EventLine kept = Assert.Single(_lines, l => l.Kind == "checkpoint");
        Assert.Equal(1, kept.Slot);
    }

    [Fact]
    public void ASnapshotWhoseWorkerStopsMatchingIsDiscardedNotKept()
    {
        PlayAndTick(Interval);
        long asked = Assert.Single(Asked(1));
        Assert.True(_workers[1].TryPublishSnapshot(asked, [1, 2, 3]));
        PlayAndTick(1);

        PlayAndTick(1, standbyOffset: 0.25f); // the standby's next block differs from the active's
        PlayAndTick(Verify + 1);
        Assert.Null(_keeper.Newest);
        EventLine discarded = Assert.Single(_lines, l => l.Kind == "checkpoint_discarded");
        Assert.Equal(1, discarded.Slot);
        Assert.DoesNotContain(_lines, l => l.Kind == "checkpoint");
    }

    [Fact]
    public void ASnapshotWhoseWorkerWasReplacedIsDiscardedNotKept()
    {
        PlayAndTick(Interval);
        long asked = Assert.Single(Asked(1));
        Assert.True(_workers[1].TryPublishSnapshot(asked, [1, 2, 3]));
        PlayAndTick(1);

        _slots[1].Channel.NextGeneration(); // killed and respawned: the state proposed was its predecessor's
        PlayAndTick(Verify + 1);
        Assert.Null(_keeper.Newest);
        Assert.Single(_lines, l => l.Kind == "checkpoint_discarded");
    }

    [Fact]
    public void NothingIsAskedProposedOrKeptWhileADivergenceIsOpen()
    {
        _dispute.Open();
        PlayAndTick(Interval);
        Assert.Empty(Asked(0));
        Assert.Empty(Asked(1));

        _keeper.Propose(3, [1], _slots[1]); // a resync's snapshot, say
        _dispute.Settle();
        PlayAndTick(Verify + 2);
        Assert.Null(_keeper.Newest);
        Assert.Single(Asked(1)); // settled: asked again
    }

    [Fact]
    public void AProposalMadeBeforeTheQuestionOpenedIsDiscarded()
    {
        PlayAndTick(Interval);
        long asked = Assert.Single(Asked(1));
        Assert.True(_workers[1].TryPublishSnapshot(asked, [1, 2, 3]));
        PlayAndTick(1);

        _dispute.Open(); // the standby that gave it has just disagreed with the active
        PlayAndTick(Verify + 1);
        _dispute.Settle();
        PlayAndTick(Verify + 1);
        Assert.Null(_keeper.Newest);
    }

    [Fact]
    public void ARequestWhoseWorkerIsGoneIsDroppedAndTheNextIntervalAsksAgain()
    {
        PlayAndTick(Interval);
        Assert.Single(Asked(1));
        TwoSlots.Kill(_slots[1]); // killed before it answered

        PlayAndTick(Interval - 1);
        Assert.Empty(Asked(0));
        PlayAndTick(1);
        Assert.Single(Asked(0)); // the survivor, the only readable worker now
    }

    [Fact]
    public void AZeroIntervalTurnsCheckpointsOff()
    {
        var off = new CheckpointKeeper(0, Verify, _slots, _scheduler, _reader, _dispute, _events);
        PlayAndTick(3 * Interval, off);
        Assert.Empty(Asked(0));
        Assert.Empty(Asked(1));
        off.Propose(3, [1], _slots[1]);
        PlayAndTick(Verify + 2, off);
        Assert.Null(off.Newest);
    }
}
