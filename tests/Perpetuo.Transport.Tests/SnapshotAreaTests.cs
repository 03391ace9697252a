namespace Perpetuo.Transport.Tests;

/// <summary>The snapshot area between a worker and its supervisor: a seqlock, and copies that can reuse an array.</summary>
public sealed class SnapshotAreaTests
{
    private static readonly int SnapshotSeqOffset = TestRegion.HeaderOffset(nameof(RegionHeader.SnapshotSeq));

    private static byte[] Bytes(int length, byte salt) => [.. Enumerable.Range(0, length).Select(i => (byte)(i * 7 + salt))];

    [Fact]
    public void APublishedSnapshotIsTakenForItsBlockOnly()
    {
        using var t = new TestRegion();
        var worker = new WorkerLink(t.Region);
        var supervisor = new SupervisorLink(t.Region);

        Assert.Null(supervisor.TryTakeSnapshot(5));
        Assert.True(worker.TryPublishSnapshot(5, Bytes(300, 1)));

        Assert.Equal(Bytes(300, 1), supervisor.TryTakeSnapshot(5));
        Assert.Null(supervisor.TryTakeSnapshot(6));
    }

    [Fact]
    public void ASnapshotBeingRepublishedIsNotTaken()
    {
        using var t = new TestRegion();
        var worker = new WorkerLink(t.Region);
        var supervisor = new SupervisorLink(t.Region);
        Assert.True(worker.TryPublishSnapshot(5, Bytes(300, 1)));

        t.PokeLong(SnapshotSeqOffset, -1); // what a worker writing the next snapshot leaves while it copies

        Assert.Null(supervisor.TryTakeSnapshot(5));
        Assert.Null(supervisor.TryTakeSnapshot(-1));
    }

    [Fact]
    public void AnArrayOfTheRightLengthIsReusedAndAnyOtherIsLeftAlone()
    {
        using var t = new TestRegion();
        var worker = new WorkerLink(t.Region);
        var supervisor = new SupervisorLink(t.Region);
        Assert.True(worker.TryPublishSnapshot(9, Bytes(300, 2)));
        byte[] same = new byte[300];
        byte[] other = Bytes(299, 3);

        Assert.Same(same, supervisor.TryTakeSnapshot(9, same));
        Assert.Equal(Bytes(300, 2), same);
        byte[]? fresh = supervisor.TryTakeSnapshot(9, other);
        Assert.NotSame(other, fresh);
        Assert.Equal(Bytes(300, 2), fresh);
        Assert.Equal(Bytes(299, 3), other);
    }
}
