using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using Perfolizer.Horology;

namespace Perpetuo.Benchmarks;

/// <summary>
/// The suite's configuration: BenchmarkDotNet's defaults (console log, GitHub markdown, default columns) plus one
/// short job for everything (a few minutes on two cores): 1 launch, 3 warm-up and 7 measured iterations of ~150 ms,
/// and Median and P95 columns. Each benchmark class carries <c>[MemoryDiagnoser]</c>; the gate is "0 B/op once
/// warm" on every real-time path.
/// </summary>
public static class BenchConfig
{
    public static IConfig Create() => DefaultConfig.Instance
        .AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(7)
            .WithIterationTime(TimeInterval.FromMilliseconds(150)).WithId("Short"))
        .AddColumn(StatisticColumn.Median, StatisticColumn.P95)
        .WithOptions(ConfigOptions.JoinSummary);
}
