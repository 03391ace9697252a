using Perpetuo.Supervisor.Control;

namespace Perpetuo.Supervisor.Tests.Control;

public sealed class RenderFenceTests
{
    [Theory]
    [InlineData(32, 8)]   // 0.67 ms blocks: 5 ms is 7.5 blocks
    [InlineData(64, 4)]   // 1.33 ms: 3.75
    [InlineData(128, 2)]  // 2.67 ms: 1.9
    [InlineData(240, 1)]  // exactly 5 ms
    [InlineData(256, 1)]  // 5.33 ms: at least one block
    [InlineData(1024, 1)]
    public void TheSlackIsFiveMillisecondsInWholeBlocksAndAtLeastOne(int frames, int blocks)
    {
        Assert.Equal(blocks, RenderFence.SlackBlocks(frames / 48000.0));
    }

    [Fact]
    public void TheFenceIsPastTheLeadByTheSlackSoALateControlThreadDoesNotStallTheWorkers()
    {
        long fence = RenderFence.Fence(played: 100, depth: 2, slack: 4);
        Assert.Equal(106, fence);
        // The output moves on 4 blocks while the control thread is away: the workers still have the lead.
        Assert.Equal(106, RenderFence.WorkerLimit(played: 104, depth: 2, renderLimit: fence));
        Assert.Equal(102, RenderFence.WorkerLimit(played: 100, depth: 2, renderLimit: fence));
        Assert.Equal(101, RenderFence.WorkerLimit(played: 100, depth: 2, renderLimit: 101)); // an unfed command binds
    }
}
