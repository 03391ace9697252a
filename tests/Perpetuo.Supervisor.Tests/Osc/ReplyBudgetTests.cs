using Perpetuo.Protocol;
using Perpetuo.Supervisor.Osc;

namespace Perpetuo.Supervisor.Tests.Osc;

public sealed class ReplyBudgetTests
{
    [Fact]
    public void ADatagramGetsAtMostTheRepliesPerPacket()
    {
        var b = new ReplyBudget(1 << 30, frequency: 1000, now: 0);
        b.BeginPacket();
        for (int i = 0; i < Limits.RepliesPerPacket; i++)
        {
            Assert.True(b.TrySpend(40, 0));
        }
        Assert.False(b.TrySpend(40, 0));
        b.BeginPacket();
        Assert.True(b.TrySpend(40, 0));
    }

    [Fact]
    public void BytesRefillAtTheRateAndNeverBeyondOneSecondsWorth()
    {
        var b = new ReplyBudget(1000, frequency: 1000, now: 0);
        b.BeginPacket();
        Assert.True(b.TrySpend(1000, 0));
        b.BeginPacket();
        Assert.False(b.TrySpend(1, 0));
        Assert.False(b.TrySpend(600, 500)); // half a second gives 500 bytes
        Assert.True(b.TrySpend(500, 500));
        b.BeginPacket();
        Assert.False(b.TrySpend(1001, 100_000)); // an idle hour does not bank more than a second
        Assert.True(b.TrySpend(1000, 100_000));
    }
}
