using Perpetuo.Supervisor.Control;
using Perpetuo.Transport;
using Perpetuo.Protocol;

namespace Perpetuo.Supervisor.Tests.Control;

/// <summary>The command log: absolute indices that survive dropping its head, and memory bounded by what it holds.</summary>
[Collection(AllocationCollection.Name)]
public sealed class CommandLogTests
{
    private static CommandRecord At(long block, float value = 0) =>
        CommandRecord.Create((int)CommandKind.SetParam, block, 0, value: value);

    [Fact]
    public void IndicesStayAbsoluteWhenTheHeadIsDropped()
    {
        var log = new CommandLog(window: 8);
        for (int i = 0; i < 6; i++)
        {
            log.Append(At(10 * i, i));
        }
        long cursor = log.FirstAtOrAfter(30); // a slot that was sent blocks 0..29

        Assert.Equal(3, log.DropBefore(cursor));

        Assert.Equal(6, log.Count);
        Assert.Equal(3, log.First);
        Assert.Equal(3, log.Held);
        Assert.Equal(3f, log[cursor].Value);
        Assert.Equal(30, log[cursor].ApplyBlock);
        Assert.Equal(5f, log[5].Value);
        Assert.Equal(4, log.FirstAtOrAfter(31));
        Assert.Equal(3, log.FirstAtOrAfter(0)); // anything older is gone: the first held entry
        Assert.Equal(6, log.FirstAtOrAfter(51));
        Assert.Equal(50, log.LastStamp);
        Assert.Throws<ArgumentOutOfRangeException>(() => log[2].ApplyBlock);
        Assert.Throws<ArgumentOutOfRangeException>(() => log[6].ApplyBlock);
    }

    [Fact]
    public void DroppingMoreThanItHoldsOrWhatIsAlreadyGoneIsHarmless()
    {
        var log = new CommandLog(window: 4);
        log.Append(At(1));
        log.Append(At(2));
        Assert.Equal(0, log.DropBefore(0));
        Assert.Equal(2, log.DropBefore(99));
        Assert.Equal(2, log.Count);
        Assert.Equal(0, log.Held);
        Assert.Equal(-1, log.LastStamp);
        log.Append(At(3, 7));
        Assert.Equal(7f, log[2].Value);
        Assert.Equal(0, log.DropBefore(1));
    }

    [Fact]
    public void AppendingAndDroppingForAWholeSessionNeverGrowsOrAllocates()
    {
        var log = new CommandLog(window: 64);
        long block = 0;
        for (int warm = 0; warm < 64; warm++)
        {
            log.Append(At(block++));
        }
        log.DropBefore(log.Count);
        block = Session(log, block, 2_000); // warm-up: the same code, JIT-compiled and tiered up before measuring
        long before = GC.GetAllocatedBytesForCurrentThread();
        Session(log, block, 10_000);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(64 + (12_000 * 40), log.Count);
        Assert.Equal(20, log.Held);
    }

    /// <summary>Checkpoint intervals of 40 commands each, a checkpoint covering all but the last 20.</summary>
    private static long Session(CommandLog log, long block, int checkpoints)
    {
        for (int checkpoint = 0; checkpoint < checkpoints; checkpoint++)
        {
            for (int i = 0; i < 40; i++)
            {
                log.Append(At(block++));
            }
            log.DropBefore(log.FirstAtOrAfter(block - 20));
        }
        return block;
    }

    [Fact]
    public void EntriesMustComeInStampOrder()
    {
        var log = new CommandLog(window: 4);
        log.Append(At(5));
        Assert.Throws<InvalidOperationException>(() => log.Append(At(4)));
    }

    [Fact]
    public void InsertAtStampGoesAfterEveryEntryOfItsBlockAndReturnsItsIndex()
    {
        var log = new CommandLog(window: 8);
        log.Append(At(10, 1));
        log.Append(At(20, 2));
        log.Append(At(20, 3));
        log.Append(At(30, 4));

        Assert.Equal(3, log.InsertAtStamp(At(20, 9)));

        Assert.Equal([1f, 2f, 3f, 9f, 4f], Values(log));
        Assert.Equal([10L, 20, 20, 20, 30], Stamps(log));
        Assert.Equal(5, log.Count);
        Assert.Equal(30, log.LastStamp);
        Assert.Equal(4, log.FirstAtOrAfter(21)); // still sorted: searches see it
    }

    [Fact]
    public void InsertAtStampBeforeEveryEntryOrAfterTheLastOrIntoAnEmptyLog()
    {
        var log = new CommandLog(window: 8);
        Assert.Equal(0, log.InsertAtStamp(At(7, 1))); // empty
        log.Append(At(10, 2));
        Assert.Equal(0, log.InsertAtStamp(At(3, 3)));  // below every stamp
        Assert.Equal(3, log.InsertAtStamp(At(10, 4))); // at the last stamp: after it
        Assert.Equal(4, log.InsertAtStamp(At(99, 5))); // past it
        log.Append(At(99, 6));                         // the log is still in order for appends

        Assert.Equal([3f, 1f, 2f, 4f, 5f, 6f], Values(log));
    }

    [Fact]
    public void InsertAtStampGrowsAFullLogWithoutLosingEntries()
    {
        var log = new CommandLog(window: 2);
        log.Append(At(1, 1));
        log.Append(At(3, 3));
        Assert.Equal(1, log.InsertAtStamp(At(2, 2)));
        Assert.Equal(1, log.InsertAtStamp(At(1, 1.5f)));

        Assert.Equal([1f, 1.5f, 2f, 3f], Values(log));
    }

    [Fact]
    public void InsertAtStampReturnsAnAbsoluteIndexAfterTheHeadWasDropped()
    {
        var log = new CommandLog(window: 8);
        for (int i = 0; i < 6; i++)
        {
            log.Append(At(10 * i, i)); // 0, 10, .., 50
        }
        log.DropBefore(log.FirstAtOrAfter(30));

        long index = log.InsertAtStamp(At(35, 35));

        Assert.Equal(4, index);
        Assert.Equal(35f, log[index].Value);
        Assert.Equal(3f, log[3].Value);
        Assert.Equal(4f, log[5].Value);
        Assert.Equal((3L, 7L, 4), (log.First, log.Count, log.Held));
        Assert.Equal(3, log.InsertAtStamp(At(12, 12))); // older than every held entry: first held place
        Assert.Equal([12f, 3f, 35f, 4f, 5f], Values(log));
    }

    [Fact]
    public void APluginSessionsLogSpillsItsOlderCommandsToDiskAndItsMemoryStaysItsWindow()
    {
        // No checkpoint drops the head of a plugin session: every command since the first plugin is kept for a rebuild.
        WithSpill(1 << 20, (spill, dir) =>
        {
        var log = new CommandLog(window: 4096, spill);
        for (int i = 0; i < 20_000; i++)
        {
            log.Append(At(i / 3, i)); // warm-up: past the JIT's tiers, and the first reservations of the spill
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 20_000; i < 200_000; i++)
        {
            log.Append(At(i / 3, i));
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);

        Assert.Equal((200_000L, 0L, 200_000L), (log.Count, log.First, log.Held));
        Assert.Equal(4096, log.WindowSize);
        Assert.InRange(log.InMemory, 4096 - CommandLog.SpillChunk, 4096); // the newest stay in memory
        Assert.Equal(200_000 - log.InMemory, log.Spilled);
        Assert.Equal("", log.SpillProblem);
        for (long i = 0; i < log.Count; i++)
        {
            Assert.Equal((float)i, log[i].Value); // a rebuild's replay reads them all, in order, from disk and memory
        }
        Assert.Equal(3 * 1000, log.FirstAtOrAfter(1000)); // searches span both
        Assert.Equal(3 * 66_000, log.FirstAtOrAfter(66_000));
        Assert.Empty(dir.GetFileSystemInfos()); // the spill has no name: nothing to tidy or to read
        });
    }

    [Fact]
    public void DroppingTheHeadForgetsSpilledCommandsAndTheLogGoesOnSpillingAfterIt()
    {
        WithSpill(1 << 20, (spill, dir) =>
        {
        var log = new CommandLog(window: 2048, spill);
        for (int i = 0; i < 150_000; i++)
        {
            log.Append(At(i, i));
        }
        Assert.Equal(140_000, log.DropBefore(140_000)); // a checkpoint, once the plugins are gone

        Assert.Equal((140_000L, 10_000L), (log.First, log.Held));
        Assert.Throws<ArgumentOutOfRangeException>(() => log[139_999].Value);
        Assert.Equal(140_000f, log[140_000].Value);
        Assert.Equal(CommandSpill.ReserveRecords * 2, spill.Forgotten); // whole reservations freed on disk
        for (int i = 150_000; i < 160_000; i++)
        {
            log.Append(At(i, i));
        }
        Assert.True(log.Spilled > 0);
        for (long i = log.First; i < log.Count; i++)
        {
            Assert.Equal((float)i, log[i].Value);
        }
        Assert.Equal(159_000, log.InsertAtStamp(At(158_999, -1))); // a quarantine, at a block the workers render now
        Assert.Equal((158_999f, -1f, 159_000f), (log[158_999].Value, log[159_000].Value, log[159_001].Value));
        Assert.Throws<InvalidOperationException>(() => log.InsertAtStamp(At(150_000, -2))); // never written out of order
        long held = log.Held;
        Assert.Equal(held - 1, log.DropBefore(log.Count - 1));
        Assert.Equal(1L, log.Held);
        });
    }

    [Fact]
    public void AFullSpillLeavesTheCommandsInMemoryAndSaysWhy()
    {
        WithSpill(3000, (spill, dir) =>
        {
        var log = new CommandLog(window: 1024, spill);
        for (int i = 0; i < 10_000; i++)
        {
            log.Append(At(i, i));
        }
        Assert.Contains("full (3000 records)", log.SpillProblem, StringComparison.Ordinal);
        Assert.True(log.WindowSize >= 10_000 - 3000);
        Assert.Equal(10_000L, log.Held); // nothing lost: a rebuild still replays every command
        for (long i = 0; i < log.Count; i++)
        {
            Assert.Equal((float)i, log[i].Value);
        }
        });
    }

    [Fact]
    public void ASpillCannotBeMadeWhereNoFileCanBe()
    {
        Assert.Null(CommandSpill.TryCreate("/proc", 1024, out string why));
        Assert.Contains("/proc", why, StringComparison.Ordinal);
        Assert.Null(CommandSpill.TryCreate("/nonexistent-perpetuo-dir", 1024, out why));
    }

    /// <summary>Runs <paramref name="test"/> with a spill of <paramref name="capacity"/> records in a directory of its own.</summary>
    private static void WithSpill(long capacity, Action<CommandSpill, DirectoryInfo> test)
    {
        DirectoryInfo dir = Directory.CreateTempSubdirectory("perpetuo-spill-");
        try
        {
            using CommandSpill spill = CommandSpill.TryCreate(dir.FullName, capacity, out string why) ?? throw new Xunit.Sdk.XunitException(why);
            test(spill, dir);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static float[] Values(CommandLog log)
    {
        var values = new float[log.Held];
        for (long i = log.First; i < log.Count; i++)
        {
            values[i - log.First] = log[i].Value;
        }
        return values;
    }

    private static long[] Stamps(CommandLog log)
    {
        var stamps = new long[log.Held];
        for (long i = log.First; i < log.Count; i++)
        {
            stamps[i - log.First] = log[i].ApplyBlock;
        }
        return stamps;
    }
}
