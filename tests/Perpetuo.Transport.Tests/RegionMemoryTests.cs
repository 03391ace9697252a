using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Perpetuo.Transport.Tests;

/// <summary>
/// The memory behind a region survives its environment: nobody can resize it (no SIGBUS), all of it is allocated
/// before playing, and a scribbled identity is repaired before the next worker opens it.
/// </summary>
public sealed class RegionMemoryTests
{
    [Fact]
    public void ARegionCannotBeTruncatedOrGrownThroughItsPathAndItsMappingKeepsWorking()
    {
        using var t = new TestRegion();
        var writer = new AudioRingWriter(t.Region);
        var reader = new AudioRingReader(t.Region);
        float[] block = Enumerable.Range(0, t.Layout.BlockSamples).Select(i => i * 0.001f).ToArray();
        float[] dest = new float[t.Layout.BlockSamples];

        // What a same-user process (or a worker gone wrong) could do through /proc/PID/fd/N.
        using (var f = new FileStream(t.Region.Path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite))
        {
            AssertRefused(() => f.SetLength(RegionHeader.Size));
            AssertRefused(() => f.SetLength(0));
            AssertRefused(() => f.SetLength(t.Layout.TotalSize * 2));
            Assert.Equal(t.Layout.TotalSize, f.Length);
        }

        // The last slot and the snapshot area's end: pages a truncation would have taken away (a SIGBUS).
        for (long seq = 0; seq < t.Layout.RingCapacity; seq++)
        {
            Assert.True(writer.TryWrite(seq, block));
            Assert.Equal(ReadResult.Ok, reader.TryRead(seq, dest, out _));
            reader.Release(seq + 1);
        }
        Assert.Equal(block, dest);
        var link = new SupervisorLink(t.Region);
        byte[] snapshot = new byte[t.Layout.SnapshotCapacity];
        snapshot[^1] = 42;
        link.PlaceSnapshot(7, snapshot);
        Assert.Equal(42, link.TryTakeSnapshot(7)![^1]);
    }

    [Fact]
    public void EveryPageOfARegionIsAllocatedWhenItIsCreatedSoNoLaterTouchCanFindMemoryMissing()
    {
        using var t = new TestRegion(frames: 512, channels: 2, capacity: 16);

        long allocated = AllocatedBytes(t.Region.Path);

        Assert.True(allocated >= t.Layout.TotalSize,
                    $"{allocated} of {t.Layout.TotalSize} bytes allocated: the rest would be allocated on first touch, or SIGBUS");
    }

    [Fact]
    public void AScribbledIdentityLineIsRewrittenByTheResetSoTheNextWorkerCanOpenTheRegion()
    {
        using var t = new TestRegion(frames: 100, channels: 3, capacity: 8);
        // A dying worker's stray writes over line 0.
        t.PokeLong(TestRegion.HeaderOffset(nameof(RegionHeader.Magic)), 0x0BADF00D);
        t.PokeInt(TestRegion.HeaderOffset(nameof(RegionHeader.Version)), 99);
        t.PokeInt(TestRegion.HeaderOffset(nameof(RegionHeader.SlotStride)), 7);
        t.PokeLong(TestRegion.HeaderOffset(nameof(RegionHeader.TotalSize)), 1);
        Assert.Throws<RegionFormatException>(() => SharedRegion.Open(t.Region.Path).Dispose());

        new SupervisorLink(t.Region).ResetForNewWorker(0);

        using SharedRegion opened = SharedRegion.Open(t.Region.Path);
        Assert.Equal(t.Layout, opened.Layout);
        Assert.Equal(Environment.ProcessId, new WorkerLink(opened).SupervisorPid);
    }

    [Fact]
    public void AReadOnlyMemoryFileReadsBackItsContentAndRefusesWritesAndResizing()
    {
        byte[] content = Encoding.UTF8.GetBytes("{\"modules\": []}");
        using MemoryFile file = MemoryFile.CreateReadOnly("the patch", content);

        Assert.Equal(content, File.ReadAllBytes(file.Path));
        using (var f = new FileStream(file.Path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, bufferSize: 0))
        {
            AssertRefused(() => f.Write(content));
            AssertRefused(() => f.SetLength(1));
        }
        Assert.Equal(content, File.ReadAllBytes(file.Path));
    }

    [Fact]
    public void DisposingARegionTwiceThrowsNothing()
    {
        var t = new TestRegion();

        t.Dispose();
        t.Dispose();
    }

    /// <summary>The seals make the kernel answer EPERM, which .NET reports as an access denial.</summary>
    private static void AssertRefused(Action change)
    {
        Exception e = Assert.ThrowsAny<Exception>(change);
        Assert.True(e is UnauthorizedAccessException or IOException, e.ToString());
    }

    /// <summary>Bytes allocated to the file (st_blocks), as <c>stat</c> reports them.</summary>
    private static long AllocatedBytes(string path)
    {
        using Process p = Process.Start(new ProcessStartInfo("stat", ["-L", "-c", "%b %B", path]) { RedirectStandardOutput = true })!;
        string[] fields = p.StandardOutput.ReadToEnd().Trim().Split(' ');
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
        return long.Parse(fields[0], CultureInfo.InvariantCulture) * long.Parse(fields[1], CultureInfo.InvariantCulture);
    }
}
