using Perpetuo.Supervisor.Control;

namespace Perpetuo.Supervisor.Tests.Control;

public sealed class SessionCounterTests
{
    [Fact]
    public void ARespawnedWorkerCountingFromZeroAddsToItsPredecessorsInsteadOfGoingBack()
    {
        var c = new SessionCounter();
        c.Observe(100);
        c.Observe(140);
        Assert.Equal(140, c.Total);
        c.WorkerReplaced(); // the region line is reset: the next worker starts at 0
        c.Observe(0);
        Assert.Equal(140, c.Total);
        c.Observe(5);
        Assert.Equal(145, c.Total);
        c.WorkerReplaced();
        c.WorkerReplaced(); // a failed start replaces a worker that never counted
        c.Observe(1);
        Assert.Equal(146, c.Total);
    }

    [Fact]
    public void TheTotalNeverGoesDownWhateverTheUntrustedWorkerFigureSays()
    {
        var c = new SessionCounter();
        var random = new Random(16);
        long last = 0;
        for (int i = 0; i < 10_000; i++)
        {
            if (random.Next(50) == 0)
            {
                c.WorkerReplaced();
            }
            c.Observe(random.Next(8) == 0 ? random.NextInt64(long.MinValue / 2, 1000) : random.Next(1000));
            Assert.True(c.Total >= last, $"went from {last} to {c.Total} at step {i}");
            last = c.Total;
        }
    }
}
