using System.Text;
using Perpetuo.Protocol;
using Perpetuo.Supervisor.Control;
using Perpetuo.Transport;

namespace Perpetuo.Supervisor.Tests.Control;

/// <summary>
/// Deterministic faults over two real slot regions (<see cref="TwoSlots"/>), the test writing the workers' evidence
/// where a worker would: its self-reported quarantines, and the module it was in when it died.
/// </summary>
public sealed class ModuleQuarantineTests : IDisposable
{
    private readonly TwoSlots _two = new();
    private readonly CommandLog _log = new();
    private readonly List<CommandRecord> _journal = [];
    private readonly List<(int Slot, KillReason Reason)> _killed = [];
    private readonly ModuleQuarantine _q;

    public ModuleQuarantineTests()
    {
        _q = new ModuleQuarantine(_two.Slots, _log, TwoSlots.Frames, _two.Reader, _two.Events, (s, why) => _killed.Add((s.Index, why)))
        {
            Journal = _journal.Add,
        };
        foreach (SlotController s in _two.Slots)
        {
            s.Limit = 100; // workers may render blocks 0..99
        }
    }

    public void Dispose() => _two.Dispose();

    private static byte[] Id(string module) => Encoding.UTF8.GetBytes(module);

    private List<EventLine> Events(string kind) => _two.Lines.Where(l => l.Kind == kind).ToList();

    [Fact]
    public void AWorkersOwnReportIsAnnouncedOnceJournaledAtItsBlockAndFrameAndListed()
    {
        _two.Workers[0].ReportQuarantine(40, 17, (int)QuarantineReason.Nan, Id("verb"));
        _two.Workers[1].ReportQuarantine(40, 17, (int)QuarantineReason.Nan, Id("verb")); // the other replica, same frame
        _q.ReadReports(_two.Slots[0]);
        _q.ReadReports(_two.Slots[1]);
        _q.ReadReports(_two.Slots[0]); // nothing new

        EventLine e = Assert.Single(Events("module_quarantined"));
        Assert.Equal(0, e.Slot);
        CommandRecord r = Assert.Single(_journal);
        Assert.Equal(((int)CommandKind.Quarantine, 40L, 17, "verb"), (r.Kind, r.ApplyBlock, r.FrameOffset, r.IdString));
        QuarantinedModule listed = Assert.Single(_q.Entries);
        Assert.Equal(("verb", 40L), (listed.Module, listed.Block));
        Assert.Equal(1, _q.Total);
        Assert.Equal(0, _log.Count); // a worker's own quarantine is already in its replicas: the log is untouched
    }

    [Theory]
    [InlineData(100, 0, (int)QuarantineReason.Nan)]        // at the render limit: no worker rendered it
    [InlineData(-1, 0, (int)QuarantineReason.Nan)]
    [InlineData(long.MaxValue, 0, (int)QuarantineReason.Exception)]
    [InlineData(40, -1, (int)QuarantineReason.Nan)]        // a frame outside the block
    [InlineData(40, TwoSlots.Frames, (int)QuarantineReason.Nan)]
    [InlineData(40, 0, (int)QuarantineReason.Crash)]       // the supervisor's to decide, never a worker's
    [InlineData(40, 0, 99)]
    public void AReportNoWorkerOfOursCouldHaveWrittenIsIgnored(long block, int frame, int reason)
    {
        _two.Workers[0].ReportQuarantine(block, frame, reason, Id("verb"));
        _q.ReadReports(_two.Slots[0]);
        Assert.Empty(_journal);
        Assert.Empty(_q.Entries);
        Assert.Empty(Events("module_quarantined"));
    }

    [Fact]
    public void OneDeathInAModuleProvesNothingASecondProcessDyingThereQuarantinesIt()
    {
        _log.Append(CommandRecord.Create((int)CommandKind.SetParam, 40, 5, "verb", "mix", value: 0.5f));
        _log.Append(CommandRecord.Create((int)CommandKind.SetParam, 60, 0, "verb", "mix", value: 0.7f));
        SlotController dead = _two.Slots[0], live = _two.Slots[1];
        live.Cursor = _log.Count; // its ring holds the command of block 60: it would run into block 40 without the quarantine
        _two.Workers[0].EnterModule(40, 2, Id("verb"));
        TwoSlots.Kill(dead);
        _q.OnWorkerFailed(dead, QuarantineReason.Crash);
        Assert.Single(Events("worker_failed_in_module"));
        Assert.Empty(_journal);
        Assert.Empty(_killed);

        TwoSlots.Attach(dead); // its respawn, replayed to the same block, dies in the same module
        TwoSlots.Kill(dead);
        _q.OnWorkerFailed(dead, QuarantineReason.Crash);

        CommandRecord logged = _log[1]; // after block 40's other command, before block 60's
        Assert.Equal(((int)CommandKind.Quarantine, 40L, "verb"), (logged.Kind, logged.ApplyBlock, logged.IdString));
        Assert.Equal(60, _log[2].ApplyBlock);
        Assert.Equal([(1, KillReason.Quarantine)], _killed);
        Assert.True(dead.FailureExplained); // not charged to the restart intensity
        Assert.Equal([(int)CommandKind.Quarantine], _journal.Select(r => r.Kind));
        Assert.Single(_q.Entries);
        Assert.Contains("both failed", Assert.Single(Events("module_quarantined")).Json, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSameProcessFailingTwiceOrAPositionPastTheLimitIsNoVerdict()
    {
        SlotController s = _two.Slots[0];
        _two.Workers[0].EnterModule(40, 2, Id("verb"));
        _q.OnWorkerFailed(s, QuarantineReason.Hang);
        _q.OnWorkerFailed(s, QuarantineReason.Crash); // the hung worker, killed, seen exiting
        Assert.Empty(_q.Entries);

        _two.Workers[1].EnterModule(40, 2, Id("verb"));
        _two.Slots[1].Limit = 40; // its worker was never allowed to render block 40: a forged position
        _q.OnWorkerFailed(_two.Slots[1], QuarantineReason.Crash);
        Assert.Empty(_q.Entries);
        Assert.Equal(0, _log.Count);
        Assert.Equal([0, 0], Events("worker_failed_in_module").Select(e => e.Slot)); // the forged one is not even evidence
    }

    [Fact]
    public void AWorkerThatRenderedTheBlockMeansTheFaultWasNotDeterministic()
    {
        Assert.True(new AudioRingWriter(_two.Slots[1].Region).TryWrite(0, new float[TwoSlots.Frames * TwoSlots.Channels]));
        _two.Workers[0].EnterModule(0, 2, Id("verb"));
        _q.OnWorkerFailed(_two.Slots[0], QuarantineReason.Crash);
        TwoSlots.Attach(_two.Slots[0]); // another process fails in the same place
        _q.OnWorkerFailed(_two.Slots[0], QuarantineReason.Crash);
        Assert.Empty(_q.Entries);
        Assert.Equal(0, _log.Count);
    }

    [Fact]
    public void ARestoreEnteringTheLogLiftsTheQuarantineAndIsJournaled()
    {
        _two.Workers[0].ReportQuarantine(40, 0, (int)QuarantineReason.Exception, Id("verb"));
        _q.ReadReports(_two.Slots[0]);
        Assert.Single(_q.Entries);

        _q.Logged(CommandRecord.Create((int)CommandKind.Restore, 50, 0, "verb"));
        Assert.Empty(_q.Entries);
        Assert.Equal([(int)CommandKind.Quarantine, (int)CommandKind.Restore], _journal.Select(r => r.Kind));
    }
}
