using System.Diagnostics.Metrics;
using Perpetuo.Supervisor.Callback;
using Perpetuo.Supervisor.Telemetry;

namespace Perpetuo.Supervisor.Tests.Telemetry;

[Collection(AllocationCollection.Name)]
public sealed class TelemetryTests
{
    [Fact]
    public void CallbackTimingsHandsDurationsOverInOrderAndDropsTheNewestWhenFull()
    {
        var timings = new CallbackTimings(4);
        for (long i = 1; i <= 6; i++)
        {
            timings.TryAdd(i);
        }
        Assert.Equal(2, timings.Dropped);
        var taken = new List<long>();
        while (timings.TryTake(out long t))
        {
            taken.Add(t);
        }
        Assert.Equal([1, 2, 3, 4], taken);
        timings.TryAdd(7);
        Assert.True(timings.TryTake(out long seven));
        Assert.Equal(7, seven);
    }

    [Fact]
    public void TheExpositionWritesCountersWithTotalGaugesWithLabelsAndCumulativeHistogramBuckets()
    {
        string name = "Perpetuo.Test." + Guid.NewGuid().ToString("N");
        using var exposition = new PrometheusExposition(name);
        using var meter = new Meter(name);
        meter.CreateObservableCounter("perpetuo.things", () => 42L, "{thing}", "Things.");
        meter.CreateObservableGauge("perpetuo.age", () => new Measurement<double>(0.5, new KeyValuePair<string, object?>("slot", "1")), "s", "Age.");
        Histogram<double> h = meter.CreateHistogram<double>("perpetuo.duration", "s", "Durations.", tags: null,
                                                            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 2] });
        h.Record(0.5);
        h.Record(1.5);
        h.Record(9);

        string text = exposition.Collect();

        Assert.Contains("# TYPE perpetuo_things_total counter\nperpetuo_things_total 42\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE perpetuo_age_seconds gauge\nperpetuo_age_seconds{slot=\"1\"} 0.5\n", text, StringComparison.Ordinal);
        Assert.Contains("perpetuo_duration_seconds_bucket{le=\"1\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("perpetuo_duration_seconds_bucket{le=\"2\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("perpetuo_duration_seconds_bucket{le=\"+Inf\"} 3\n", text, StringComparison.Ordinal);
        Assert.Contains("perpetuo_duration_seconds_sum 11\n", text, StringComparison.Ordinal);
        Assert.Contains("perpetuo_duration_seconds_count 3\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void RecordingIntoTheHistogramAllocatesNothing()
    {
        string name = "Perpetuo.Test." + Guid.NewGuid().ToString("N");
        using var exposition = new PrometheusExposition(name);
        using var meter = new Meter(name);
        Histogram<double> h = meter.CreateHistogram<double>("perpetuo.duration", "s", null, tags: null,
                                                            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = EngineMetrics.CallbackBuckets });
        for (int i = 0; i < 1000; i++)
        {
            h.Record(i * 1e-6);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            h.Record(i * 1e-6);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
