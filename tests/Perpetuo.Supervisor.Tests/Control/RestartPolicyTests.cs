using System.Diagnostics;
using Perpetuo.Supervisor.Control;

namespace Perpetuo.Supervisor.Tests.Control;

public sealed class RestartPolicyTests
{
    private static long At(double seconds) => (long)(seconds * Stopwatch.Frequency);

    [Fact]
    public void RestartsWithinTheIntensityLimitAreImmediate()
    {
        var p = new RestartPolicy { MaxRestarts = 5, Window = TimeSpan.FromSeconds(10) };
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(TimeSpan.Zero, p.OnRestart(At(i)));
        }
        Assert.Equal(5, p.RecentRestarts);
    }

    [Fact]
    public void ACrashLoopBacksOffExponentiallyUpToTheMaximum()
    {
        var p = new RestartPolicy { MaxRestarts = 3, Window = TimeSpan.FromSeconds(10), BaseBackoff = TimeSpan.FromMilliseconds(500), MaxBackoff = TimeSpan.FromSeconds(4) };
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(TimeSpan.Zero, p.OnRestart(At(i * 0.1)));
        }
        Assert.Equal(TimeSpan.FromMilliseconds(500), p.OnRestart(At(0.4)));
        Assert.Equal(TimeSpan.FromMilliseconds(1000), p.OnRestart(At(0.5)));
        Assert.Equal(TimeSpan.FromMilliseconds(2000), p.OnRestart(At(0.6)));
        Assert.Equal(TimeSpan.FromMilliseconds(4000), p.OnRestart(At(0.7)));
        Assert.Equal(TimeSpan.FromMilliseconds(4000), p.OnRestart(At(0.8)));
    }

    [Fact]
    public void AQuietWindowForgetsOldRestartsAndTheBackoff()
    {
        var p = new RestartPolicy { MaxRestarts = 2, Window = TimeSpan.FromSeconds(10) };
        p.OnRestart(At(0));
        p.OnRestart(At(1));
        Assert.NotEqual(TimeSpan.Zero, p.OnRestart(At(2)));
        Assert.Equal(TimeSpan.Zero, p.OnRestart(At(30)));
        Assert.Equal(1, p.RecentRestarts);
    }
}
