using System.Diagnostics;
using Perpetuo.Audio.Native;

namespace Perpetuo.Audio.Tests;

public sealed class CallbackHealthTests
{
    [Fact]
    public void PercentilesComeFromTheKeptDurations()
    {
        var health = new CallbackHealth(1024);
        long tick = Stopwatch.Frequency / 1_000_000; // one microsecond
        for (int i = 1; i <= 1000; i++)
        {
            health.TryRecord(0, i * tick);
        }

        CallbackHealthSnapshot s = health.Snapshot();

        Assert.Equal(1000, s.Callbacks);
        Assert.Equal(1000, s.Samples);
        Assert.Equal(500, s.P50.TotalMicroseconds, 1.0);
        Assert.Equal(999, s.P999.TotalMicroseconds, 1.0);
        Assert.Equal(1000, s.Max.TotalMicroseconds, 1.0);
    }

    [Fact]
    public void OnlyTheNewestDurationsAreKeptButEveryCallbackIsCounted()
    {
        var health = new CallbackHealth(4);
        for (int i = 0; i < 10; i++)
        {
            health.TryRecord(0, i < 6 ? 1_000_000 : 1);
        }

        CallbackHealthSnapshot s = health.Snapshot();

        Assert.Equal(10, s.Callbacks);
        Assert.Equal(4, s.Samples);
        Assert.Equal(TimeSpan.FromSeconds(1.0 / Stopwatch.Frequency), s.Max);
    }

    [Fact]
    public void RecordingDoesNotAllocate()
    {
        var health = new CallbackHealth();
        health.TryRecord(0, 1);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100_000; i++)
        {
            health.TryRecord(Stopwatch.GetTimestamp(), Stopwatch.GetTimestamp());
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Fact]
    public void ACapacityThatIsNotAPowerOfTwoIsRejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new CallbackHealth(1000));
}
