using Xunit.Abstractions;

namespace Perpetuo.Transport.Tests;

public sealed class AudioRingStressTests
{
    private readonly ITestOutputHelper _out;

    public AudioRingStressTests(ITestOutputHelper output) => _out = output;

    [Fact]
    public void TwoThreadsPassEveryBlockIntactThroughRandomlySizedRings()
    {
        int seed = Environment.TickCount;
        var rng = new Random(seed);
        int rounds = RingStress.Long ? 200 : 16;
        for (int round = 0; round < rounds; round++)
        {
            int capacity = 2 << (rng.Next() % 6); // moodycamel's stabtest: (rand() % 32) + 1, here as powers of two 2..64
            int frames = rng.Next(1, 1025);
            int channels = rng.Next(1, 5);
            long blocks = RingStress.Long ? 100_000 : 5_000 + rng.Next(5_000);
            using var t = new TestRegion(frames, channels, capacity);
            var producer = new Thread(() => RingStress.Produce(t.Region, blocks, new Random(seed + round)));
            producer.Start();

            var (faulty, wrong) = RingStress.Consume(t.Region, blocks, () => !producer.IsAlive, new Random(seed - round));

            producer.Join();
            Assert.True(faulty == 0 && wrong == 0,
                $"seed {seed} round {round}: capacity {capacity}, {frames}x{channels}: {faulty} faulty, {wrong} wrong of {blocks}");
        }
        _out.WriteLine($"seed {seed}: {rounds} rounds clean");
    }

    /// <summary>
    /// The predecessor's silent-output bug as a regression test: its consumer released a slot before copying it
    /// out, so a producer running as fast as allowed overwrote the block mid-copy. Here the ring is kept full, so
    /// the producer is always waiting for exactly the slot the consumer is copying: a reader that released before
    /// its copy fails this within a few thousand blocks (Faulty from the seqlock, or wrong samples).
    /// </summary>
    [Fact]
    public void TheConsumerNeverReleasesASlotBeforeItsCopyIsComplete()
    {
        const long Blocks = 200_000;
        using var t = new TestRegion(frames: 1024, channels: 2, capacity: 2); // 8 KiB per copy: a wide window
        var producer = new Thread(() => RingStress.Produce(t.Region, Blocks));
        producer.Start();

        var (faulty, wrong) = RingStress.Consume(t.Region, Blocks, () => !producer.IsAlive);

        producer.Join();
        Assert.True(faulty == 0 && wrong == 0, $"{faulty} faulty and {wrong} wrong blocks of {Blocks}");
    }
}
