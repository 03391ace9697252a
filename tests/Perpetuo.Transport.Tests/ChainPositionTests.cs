namespace Perpetuo.Transport.Tests;

/// <summary>
/// Where a worker is in its chain and the modules it quarantined itself: written by the worker, read by the
/// supervisor after a death or a hang, and untrusted (a garbage record reads as false, never throws).
/// </summary>
public sealed class ChainPositionTests
{
    private static readonly int PositionIdLengthOffset = TestRegion.HeaderOffset(nameof(RegionHeader.PositionIdLength));
    private static readonly int PositionBlockOffset = TestRegion.HeaderOffset(nameof(RegionHeader.PositionBlock));
    private static readonly int ReportsOffset = TestRegion.HeaderOffset(nameof(RegionHeader.QuarantineReports));

    private static long ReportIdLengthOffset(int slot) =>
        ReportsOffset + (slot * QuarantineEntry.Size) + (int)System.Runtime.InteropServices.Marshal.OffsetOf<QuarantineEntry>(nameof(QuarantineEntry.IdLength));

    [Fact]
    public void APositionReadsBackAsWrittenAndLeavingClearsIt()
    {
        using var t = new TestRegion();
        var worker = new WorkerLink(t.Region);
        var supervisor = new SupervisorLink(t.Region);
        Assert.False(supervisor.TryReadPosition(out _, out _)); // a new region: nobody was anywhere

        worker.EnterModule(42, 3, "filter"u8);
        Assert.True(supervisor.TryReadPosition(out long block, out string id));
        Assert.Equal((42L, "filter"), (block, id));

        worker.EnterModule(43, 0, "é"u8); // a shorter id replaces a longer one whole
        Assert.True(supervisor.TryReadPosition(out block, out id));
        Assert.Equal((43L, "é"), (block, id));

        worker.LeaveModule();
        Assert.False(supervisor.TryReadPosition(out _, out _));
    }

    [Fact]
    public void AnIdLongerThanARecordHoldsIsCutToItsFirstBytes()
    {
        using var t = new TestRegion();
        string longId = new('m', CommandRecord.MaxIdBytes + 25);
        new WorkerLink(t.Region).EnterModule(1, 0, System.Text.Encoding.UTF8.GetBytes(longId));
        new WorkerLink(t.Region).ReportQuarantine(1, 0, 3, System.Text.Encoding.UTF8.GetBytes(longId));

        var supervisor = new SupervisorLink(t.Region);
        Assert.True(supervisor.TryReadPosition(out _, out string id));
        Assert.Equal(longId[..CommandRecord.MaxIdBytes], id);
        Assert.True(supervisor.TryReadQuarantine(0, out _, out _, out _, out id));
        Assert.Equal(longId[..CommandRecord.MaxIdBytes], id);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(CommandRecord.MaxIdBytes + 1)]
    [InlineData(int.MaxValue)]
    [InlineData(int.MinValue)]
    public void APositionWithAnOutOfRangeIdLengthReadsAsNone(int garbage)
    {
        using var t = new TestRegion();
        new WorkerLink(t.Region).EnterModule(7, 1, "gain"u8);
        t.PokeInt(PositionIdLengthOffset, garbage);

        Assert.False(new SupervisorLink(t.Region).TryReadPosition(out _, out string id));
        Assert.Equal("", id);
    }

    [Fact]
    public void APositionWithANegativeBlockReadsAsNone()
    {
        using var t = new TestRegion();
        new WorkerLink(t.Region).EnterModule(7, 1, "gain"u8);
        t.PokeLong(PositionBlockOffset, -5);

        Assert.False(new SupervisorLink(t.Region).TryReadPosition(out _, out _));
    }

    [Fact]
    public void QuarantineReportsReadBackInOrderWithTheirBlockFrameReasonAndId()
    {
        using var t = new TestRegion();
        var worker = new WorkerLink(t.Region);
        var supervisor = new SupervisorLink(t.Region);
        Assert.Equal(0, supervisor.QuarantineCount);

        worker.ReportQuarantine(100, 17, 4, "verb"u8);
        worker.ReportQuarantine(100, 200, 3, "delay"u8);
        worker.ReportQuarantine(5_000_000_000, 0, 3, "x"u8);

        Assert.Equal(3, supervisor.QuarantineCount);
        Assert.True(supervisor.TryReadQuarantine(0, out long block, out int frame, out int reason, out string id));
        Assert.Equal((100L, 17, 4, "verb"), (block, frame, reason, id));
        Assert.True(supervisor.TryReadQuarantine(1, out block, out frame, out reason, out id));
        Assert.Equal((100L, 200, 3, "delay"), (block, frame, reason, id));
        Assert.True(supervisor.TryReadQuarantine(2, out block, out frame, out reason, out id));
        Assert.Equal((5_000_000_000L, 0, 3, "x"), (block, frame, reason, id));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    [InlineData(CommandRecord.MaxIdBytes + 1)]
    [InlineData(int.MaxValue)]
    public void AReportWithAnOutOfRangeIdLengthReadsAsFalse(int garbage)
    {
        using var t = new TestRegion();
        var worker = new WorkerLink(t.Region);
        worker.ReportQuarantine(10, 0, 4, "a"u8);
        worker.ReportQuarantine(11, 0, 4, "b"u8);
        t.PokeInt(ReportIdLengthOffset(1), garbage);

        var supervisor = new SupervisorLink(t.Region);
        Assert.True(supervisor.TryReadQuarantine(0, out _, out _, out _, out string id));
        Assert.Equal("a", id);
        Assert.False(supervisor.TryReadQuarantine(1, out _, out _, out _, out id));
        Assert.Equal("", id);
    }

    [Fact]
    public void AReportOverwrittenByEightLaterOnesReadsAsFalse()
    {
        using var t = new TestRegion();
        var worker = new WorkerLink(t.Region);
        var supervisor = new SupervisorLink(t.Region);
        for (int n = 0; n < RegionHeader.QuarantineSlots; n++)
        {
            worker.ReportQuarantine(n, n, 3, System.Text.Encoding.UTF8.GetBytes($"m{n}"));
        }
        Assert.True(supervisor.TryReadQuarantine(0, out _, out _, out _, out string first));
        Assert.Equal("m0", first); // eight reports fill the ring: the first is still there

        worker.ReportQuarantine(8, 8, 4, "m8"u8); // the ninth takes the first one's slot
        Assert.Equal(9, supervisor.QuarantineCount);
        Assert.False(supervisor.TryReadQuarantine(0, out _, out _, out _, out _));
        for (int n = 1; n <= 8; n++)
        {
            Assert.True(supervisor.TryReadQuarantine(n, out long block, out int frame, out _, out string id));
            Assert.Equal((n, n, $"m{n}"), ((int)block, frame, id));
        }
    }

    [Fact]
    public void ResetForANewWorkerClearsThePositionButKeepsTheReportCount()
    {
        using var t = new TestRegion();
        var worker = new WorkerLink(t.Region);
        var supervisor = new SupervisorLink(t.Region);
        worker.ReportQuarantine(3, 9, 3, "osc"u8);
        worker.ReportQuarantine(4, 0, 4, "fx"u8);
        worker.EnterModule(5, 2, "verb"u8); // and then it died in there

        supervisor.ResetForNewWorker(5);

        Assert.False(supervisor.TryReadPosition(out _, out _));
        Assert.Equal(2, supervisor.QuarantineCount);
        Assert.True(supervisor.TryReadQuarantine(1, out long block, out _, out _, out string id));
        Assert.Equal((4L, "fx"), (block, id));

        new WorkerLink(t.Region).ReportQuarantine(6, 0, 3, "next"u8); // the new worker numbers on
        Assert.Equal(3, supervisor.QuarantineCount);
        Assert.True(supervisor.TryReadQuarantine(2, out _, out _, out _, out id));
        Assert.Equal("next", id);
    }
}
