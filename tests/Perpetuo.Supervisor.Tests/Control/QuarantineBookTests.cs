using Perpetuo.Protocol;
using Perpetuo.Supervisor.Control;

namespace Perpetuo.Supervisor.Tests.Control;

/// <summary>The modules quarantined now: one entry per module, each report counted once, lifted by the commands that replace or reset a module.</summary>
public sealed class QuarantineBookTests
{
    [Fact]
    public void AQuarantineIsAddedOnceHoweverOftenItIsReported()
    {
        var book = new QuarantineBook();
        Assert.True(book.Add("verb", 120, QuarantineReason.Nan));
        Assert.False(book.Add("verb", 120, QuarantineReason.Nan));       // the other replica
        Assert.False(book.Add("verb", 120, QuarantineReason.Exception)); // a replay, whatever it says

        Assert.Equal([new QuarantinedModule("verb", 120, "nan")], book.Entries);
        Assert.Equal(1, book.Total);
    }

    [Fact]
    public void EachModuleHasOneEntryOldestFirst()
    {
        var book = new QuarantineBook();
        book.Add("a", 10, QuarantineReason.Crash);
        book.Add("b", 11, QuarantineReason.Hang);
        Assert.True(book.Add("a", 50, QuarantineReason.Exception)); // quarantined again at a later block

        Assert.Equal([new QuarantinedModule("b", 11, "hang"), new QuarantinedModule("a", 50, "exception")], book.Entries);
        Assert.Equal(3, book.Total);
    }

    [Theory]
    [InlineData(CommandKind.Restore)]
    [InlineData(CommandKind.RemoveModule)]
    [InlineData(CommandKind.AddModule)]
    public void ARestoreRemovalOrReAddLiftsThatModuleOnly(CommandKind kind)
    {
        var book = new QuarantineBook();
        book.Add("a", 10, QuarantineReason.Crash);
        book.Add("b", 11, QuarantineReason.Nan);

        book.OnAccepted(kind, "a");

        Assert.Equal([new QuarantinedModule("b", 11, "nan")], book.Entries);
        Assert.Equal(2, book.Total);
    }

    [Theory]
    [InlineData(CommandKind.SetParam)]
    [InlineData(CommandKind.NoteOn)]
    [InlineData(CommandKind.Quarantine)]
    public void OtherCommandsLiftNothing(CommandKind kind)
    {
        var book = new QuarantineBook();
        book.Add("a", 10, QuarantineReason.Crash);

        book.OnAccepted(kind, "a");

        Assert.Single(book.Entries);
    }

    [Fact]
    public void AConfirmedQuarantineTakesTheVerdictsReasonOnlyWhereItIsInForce()
    {
        var book = new QuarantineBook();
        book.Add("a", 10, QuarantineReason.Hang); // a heard deadline switch: provisionally a hang
        book.Add("b", 11, QuarantineReason.Hang);

        book.Relabel("a", 10, QuarantineReason.Crash); // the leaders died in it
        book.Relabel("b", 99, QuarantineReason.Crash); // not the block it is quarantined from: nothing changes
        book.Relabel("gone", 10, QuarantineReason.Crash);

        Assert.Equal([new QuarantinedModule("a", 10, "crash"), new QuarantinedModule("b", 11, "hang")], book.Entries);
        Assert.Equal(2, book.Total);
    }

    [Fact]
    public void ClearingTheModulesLiftsEveryQuarantine()
    {
        var book = new QuarantineBook();
        book.Add("a", 10, QuarantineReason.Crash);
        book.Add("b", 11, QuarantineReason.Nan);

        book.OnAccepted(CommandKind.ClearModules, "");

        Assert.Empty(book.Entries);
        Assert.Equal(2, book.Total);
    }

    [Fact]
    public void AReplayedReportOfALiftedQuarantineDoesNotQuarantineAgain()
    {
        var book = new QuarantineBook();
        book.Add("a", 10, QuarantineReason.Nan);
        book.OnAccepted(CommandKind.Restore, "a");

        Assert.False(book.Add("a", 10, QuarantineReason.Nan)); // a respawned worker replaying block 10
        Assert.Empty(book.Entries);
        Assert.True(book.Add("a", 11, QuarantineReason.Nan));  // failing again later is new
        Assert.Single(book.Entries);
    }

    [Fact]
    public void EntriesReadBeforeAChangeStayAsTheyWere()
    {
        var book = new QuarantineBook();
        book.Add("a", 10, QuarantineReason.Crash);
        IReadOnlyList<QuarantinedModule> before = book.Entries;

        book.Add("b", 11, QuarantineReason.Nan);
        book.OnAccepted(CommandKind.Restore, "a");

        Assert.Equal([new QuarantinedModule("a", 10, "crash")], before);
        Assert.Equal([new QuarantinedModule("b", 11, "nan")], book.Entries);
    }

    [Fact]
    public void OnlyTheNewestReportsAreRememberedAsSeen()
    {
        var book = new QuarantineBook();
        for (int block = 0; block <= QuarantineBook.RememberedReports; block++)
        {
            Assert.True(book.Add("m", block, QuarantineReason.Nan));
        }

        Assert.False(book.Add("m", QuarantineBook.RememberedReports, QuarantineReason.Nan));
        Assert.True(book.Add("m", 0, QuarantineReason.Nan)); // the oldest was forgotten
        Assert.Single(book.Entries);
    }
}
