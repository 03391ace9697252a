using System.Diagnostics;
using System.Globalization;
using Xunit.Abstractions;

namespace Perpetuo.Transport.Tests;

/// <summary>Two real processes: RingBench's <c>produce stress</c> mode writes, this process reads and checks.</summary>
public sealed class CrossProcessStressTests
{
    private readonly ITestOutputHelper _out;

    public CrossProcessStressTests(ITestOutputHelper output) => _out = output;

    [Fact]
    public async Task AProducerProcessPassesEveryBlockIntactThroughRandomlySizedRings()
    {
        int seed = Environment.TickCount;
        var rng = new Random(seed);
        int rounds = RingStress.Long ? 30 : 3;
        for (int round = 0; round < rounds; round++)
        {
            int capacity = 2 << (rng.Next() % 6);
            int frames = rng.Next(1, 1025);
            int channels = rng.Next(1, 5);
            long blocks = RingStress.Long ? 500_000 : 20_000 + rng.Next(20_000);
            using var t = new TestRegion(frames, channels, capacity);
            using Process producer = StartProducer(t.Region.Path, blocks);
            Task<string> stderr = producer.StandardError.ReadToEndAsync();

            var (faulty, wrong) = RingStress.Consume(t.Region, blocks, () => producer.HasExited);

            Assert.True(producer.WaitForExit(30_000), "producer did not exit");
            string error = await stderr;
            Assert.True(producer.ExitCode == 0, $"producer exited {producer.ExitCode}: {error}");
            Assert.True(faulty == 0 && wrong == 0,
                $"seed {seed} round {round}: capacity {capacity}, {frames}x{channels}: {faulty} faulty, {wrong} wrong of {blocks}");
            _out.WriteLine($"round {round}: capacity {capacity}, {frames}x{channels}, {blocks} blocks clean");
        }
    }

    private static Process StartProducer(string regionPath, long blocks)
    {
        var psi = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.ArgumentList.Add("exec");
        psi.ArgumentList.Add(typeof(RingBench.Payload).Assembly.Location);
        psi.ArgumentList.Add("produce");
        psi.ArgumentList.Add("stress");
        psi.ArgumentList.Add(regionPath);
        psi.ArgumentList.Add(blocks.ToString(CultureInfo.InvariantCulture));
        return Process.Start(psi)!;
    }
}
