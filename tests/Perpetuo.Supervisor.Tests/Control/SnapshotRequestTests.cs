using Perpetuo.Protocol;
using Perpetuo.Supervisor.Control;
using Perpetuo.Transport;
using Answer = Perpetuo.Supervisor.Control.SnapshotRequest.Answer;

namespace Perpetuo.Supervisor.Tests.Control;

/// <summary>
/// A snapshot asked of a worker, against a real region (a memory file, as play makes it) whose worker side the test
/// plays: the answer counts only for the block asked, and whatever the region says, the request ends by its deadline.
/// </summary>
public sealed class SnapshotRequestTests : IDisposable
{
    private const long Now = 1_000_000;
    private readonly SharedRegion _region = SharedRegion.Create(new RegionLayout(64, 2, 48000, 8), 0);
    private readonly SupervisorLink _link;
    private readonly WorkerLink _worker;
    private readonly CommandRingWriter _commands;

    public SnapshotRequestTests()
    {
        _link = new SupervisorLink(_region);
        _worker = new WorkerLink(_region);
        _commands = new CommandRingWriter(_region);
    }

    public void Dispose() => _region.Dispose();

    private SnapshotRequest Ask(long block)
    {
        Assert.True(SnapshotRequest.TryAsk(_commands, 0, block, Now, out SnapshotRequest request));
        return request;
    }

    [Fact]
    public void AskingWritesOneSnapshotCommandStampedAtTheBlockIntoTheWorkersRing()
    {
        SnapshotRequest request = Ask(40);

        Assert.Equal(new SnapshotRequest(0, 40, Now + SnapshotRequest.Timeout), request);
        var ring = new CommandRingReader(_region);
        Assert.True(ring.TryPeek(out CommandRecord record));
        Assert.Equal((int)CommandKind.Snapshot, record.Kind);
        Assert.Equal(40, record.ApplyBlock);
        ring.Advance();
        Assert.False(ring.TryPeek(out _));
    }

    [Fact]
    public void AFullRingRefusesTheRequest()
    {
        int asked = 0;
        while (SnapshotRequest.TryAsk(_commands, 0, 40 + asked, Now, out _))
        {
            asked++;
            Assert.True(asked <= _region.Layout.CommandCapacity, "the ring took more records than it holds");
        }
        Assert.Equal(_region.Layout.CommandCapacity, asked);
    }

    [Fact]
    public void PendingUntilTheWorkerPublishesThenTakenWithTheExactBytes()
    {
        SnapshotRequest request = Ask(40);
        Assert.Equal(Answer.Pending, request.Poll(_link, workerAlive: true, Now + 1, null, out byte[]? none));
        Assert.Null(none);

        byte[] state = [1, 2, 3, 4, 5];
        Assert.True(_worker.TryPublishSnapshot(40, state));

        Assert.Equal(Answer.Taken, request.Poll(_link, workerAlive: true, Now + 2, null, out byte[]? taken));
        Assert.Equal(state, taken);
    }

    [Fact]
    public void TheCallersArrayIsReusedWhenTheLengthsMatch()
    {
        SnapshotRequest request = Ask(40);
        Assert.True(_worker.TryPublishSnapshot(40, [7, 8, 9]));
        byte[] reuse = new byte[3];

        Assert.Equal(Answer.Taken, request.Poll(_link, workerAlive: true, Now, reuse, out byte[]? taken));
        Assert.Same(reuse, taken);
        Assert.Equal([7, 8, 9], reuse);

        Assert.Equal(Answer.Taken, request.Poll(_link, workerAlive: true, Now, new byte[4], out byte[]? fresh));
        Assert.Equal([7, 8, 9], fresh); // another length: a new array, never a partial copy
    }

    [Fact]
    public void ARefusalIsAnAnswer()
    {
        SnapshotRequest request = Ask(40);
        _worker.RefuseSnapshot(40);
        Assert.Equal(Answer.Refused, request.Poll(_link, workerAlive: true, Now, null, out byte[]? none));
        Assert.Null(none);
    }

    [Fact]
    public void AGoneWorkersAnswerIsNotTaken()
    {
        SnapshotRequest request = Ask(40);
        Assert.True(_worker.TryPublishSnapshot(40, [1, 2, 3]));
        // Its replacement's region may hold it, but the worker asked is gone: whoever asked starts over.
        Assert.Equal(Answer.WorkerGone, request.Poll(_link, workerAlive: false, Now, null, out byte[]? none));
        Assert.Null(none);
    }

    [Fact]
    public void AnAnswerToAnEarlierRequestIsNotThisOne()
    {
        Assert.True(_worker.TryPublishSnapshot(30, [1, 2, 3]));
        SnapshotRequest request = Ask(40);
        Assert.Equal(Answer.Pending, request.Poll(_link, workerAlive: true, Now, null, out _));
        _worker.RefuseSnapshot(30);
        Assert.Equal(Answer.Pending, request.Poll(_link, workerAlive: true, Now, null, out _));
    }

    [Fact]
    public void AnAnswerToALaterRequestOvertakesThisOneUntilTheDeadline()
    {
        SnapshotRequest request = Ask(40);
        Assert.True(_worker.TryPublishSnapshot(41, [1, 2, 3]));
        Assert.Equal(Answer.Overtaken, request.Poll(_link, workerAlive: true, request.Deadline, null, out byte[]? none));
        Assert.Null(none);
        Assert.Equal(Answer.TimedOut, request.Poll(_link, workerAlive: true, request.Deadline + 1, null, out _));
    }

    [Fact]
    public void NoAnswerTimesOutJustAfterTheDeadline()
    {
        SnapshotRequest request = Ask(40);
        Assert.Equal(Answer.Pending, request.Poll(_link, workerAlive: true, request.Deadline, null, out _));
        Assert.Equal(Answer.TimedOut, request.Poll(_link, workerAlive: true, request.Deadline + 1, null, out _));
    }

    [Theory]
    [InlineData(long.MaxValue, nameof(Answer.Overtaken))]
    [InlineData(39, nameof(Answer.Pending))]
    [InlineData(long.MinValue, nameof(Answer.Pending))]
    public void WhateverBlockAWorkerWritesTheRequestEndsByItsDeadline(long forged, string before)
    {
        SnapshotRequest request = Ask(40);
        Assert.True(_worker.TryPublishSnapshot(40, [9, 9, 9])); // a real answer first: the forged block replaces it
        Assert.True(_worker.TryPublishSnapshot(forged, [1, 2, 3]));

        Assert.Equal(Enum.Parse<Answer>(before), request.Poll(_link, workerAlive: true, Now, null, out byte[]? none));
        Assert.Null(none);
        Assert.Equal(Answer.TimedOut, request.Poll(_link, workerAlive: true, request.Deadline + 1, null, out _));
    }

    [Fact]
    public void AWorkerStoppedWhileWritingItsAnswerIsNoAnswer()
    {
        SnapshotRequest request = Ask(40);
        Assert.True(_worker.TryPublishSnapshot(40, [1, 2, 3]));
        _worker.RefuseSnapshot(41); // another request's answer, then the region left as "being written" (-1) ...
        Assert.True(_worker.TryPublishSnapshot(-1, [4, 5, 6])); // ... exactly what a worker killed mid-copy leaves

        Assert.Equal(Answer.Pending, request.Poll(_link, workerAlive: true, Now, null, out byte[]? none));
        Assert.Null(none);
        Assert.Equal(Answer.TimedOut, request.Poll(_link, workerAlive: true, request.Deadline + 1, null, out _));
    }
}
