using Perpetuo.Supervisor.Control;
using Verdict = Perpetuo.Supervisor.Control.CheckpointBook.Verdict;

namespace Perpetuo.Supervisor.Tests.Control;

public sealed class CheckpointBookTests
{
    private const int Verify = 16;

    private static byte[] Snap(int n) => [(byte)n, 1, 2, 3];

    [Fact]
    public void ASnapshotIsKeptOnlyAfterItsWorkerWentOnForTheVerifyBlocks()
    {
        var book = new CheckpointBook(100, Verify);
        Assert.True(book.Propose(100, Snap(1), slot: 1, generation: 3));
        Assert.Equal(Verdict.Waiting, book.Judge(100 + Verify - 1, sameWorker: true, wasHeard: false, matchStreak: Verify - 1));
        Assert.Null(book.Newest);
        Assert.Equal(Verdict.Adopted, book.Judge(100 + Verify, sameWorker: true, wasHeard: false, matchStreak: Verify));
        Assert.Equal(100, book.Newest!.Seq);
    }

    [Theory]
    [InlineData(false, false, 20)] // the worker was replaced since (killed: diverged, faulty, hung)
    [InlineData(true, false, 3)]   // a standby block since the snapshot did not match what was played
    public void ASnapshotOfAWorkerThatWasReplacedOrDisagreedIsNeverKept(bool sameWorker, bool heard, long streak)
    {
        var book = new CheckpointBook(100, Verify);
        book.Propose(100, Snap(1), 0, 1);
        Assert.Equal(Verdict.Discarded, book.Judge(110, sameWorker, heard, streak));
        Assert.False(book.HasProposal);
        Assert.Null(book.Newest);
    }

    [Fact]
    public void TheHeardWorkersBlocksAreWhatWasPlayedSoItsStreakDoesNotMatter()
    {
        var book = new CheckpointBook(100, Verify);
        book.Propose(100, Snap(1), 0, 1);
        Assert.Equal(Verdict.Adopted, book.Judge(100 + Verify, sameWorker: true, wasHeard: true, matchStreak: 0));
    }

    [Fact]
    public void OnlyANewerSnapshotThanEverythingHeldIsProposed()
    {
        var book = new CheckpointBook(100, Verify);
        book.Propose(100, Snap(1), 0, 1);
        Assert.False(book.Propose(100, Snap(2), 1, 1));
        Assert.False(book.Propose(90, Snap(2), 1, 1));
        book.Judge(200, true, true, 0);
        Assert.False(book.Propose(100, Snap(3), 1, 1));
        Assert.True(book.Propose(101, Snap(3), 1, 1));
    }

    [Fact]
    public void TwoAreKeptAndTheLogKeepsEverythingUntilTheSecond()
    {
        var book = new CheckpointBook(100, Verify);
        Assert.Equal(-1, book.KeepCommandsFrom);
        Adopt(book, 100);
        Assert.Equal(-1, book.KeepCommandsFrom); // one held: block 0 must stay replayable
        Adopt(book, 200);
        Assert.Equal(100, book.KeepCommandsFrom);
        Adopt(book, 300);
        Assert.Equal((300L, 200L), (book.Newest!.Seq, book.Older!.Seq));
        Assert.Equal(200, book.KeepCommandsFrom);
        Assert.Equal(Snap(100), book.Spare); // the evicted one's array is reused
    }

    [Fact]
    public void AnUnloadableNewestFallsBackToTheOlderThenToBlockZeroOnlyWhileTheLogStartsThere()
    {
        var book = new CheckpointBook(100, Verify);
        Adopt(book, 100);
        Adopt(book, 200);
        Assert.True(book.Rejected(book.Newest, logStartsAtZero: false));
        Assert.Equal(100, book.Newest!.Seq);
        Assert.Null(book.Older);
        Assert.False(book.Rejected(book.Newest, logStartsAtZero: false)); // nothing to fall back to: the newest stays
        Assert.Equal(100, book.Newest!.Seq);
        Assert.True(book.Rejected(book.Newest, logStartsAtZero: true));
        Assert.Null(book.Newest); // block 0
    }

    [Fact]
    public void TheNextSnapshotIsDueOneIntervalAfterTheLastRequest()
    {
        var book = new CheckpointBook(100, Verify);
        Assert.Equal(100, book.NextDue);
        book.Requested(130);
        Assert.Equal(230, book.NextDue);
    }

    private static void Adopt(CheckpointBook book, long seq)
    {
        Assert.True(book.Propose(seq, Snap((int)seq), 0, 1));
        Assert.Equal(Verdict.Adopted, book.Judge(seq + Verify, true, true, 0));
    }
}
