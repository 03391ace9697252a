using Perpetuo.Supervisor.Control;

namespace Perpetuo.Supervisor.Tests.Control;

/// <summary>The trailing replica's rules: who trails, and when it stops trailing.</summary>
public sealed class TrailerPlanTests
{
    [Fact]
    public void OnlyAWorkerStartingWhileTwoOthersLeadTrailsAndThereIsOneTrailer()
    {
        var plan = new TrailerPlan();
        Assert.False(plan.OnLaunch(0, othersAlive: 0));
        Assert.False(plan.OnLaunch(1, othersAlive: 1));
        Assert.True(plan.OnLaunch(2, othersAlive: 2));
        Assert.Equal(2, plan.Slot);
        Assert.False(plan.OnLaunch(0, othersAlive: 2)); // one trailer
        Assert.Equal(2, plan.Slot);
    }

    [Fact]
    public void ALostLeaderKeepsTheTrailerBehindUntilALiveLeaderHasPassedTheBlockItDiedIn()
    {
        var plan = new TrailerPlan();
        plan.OnLaunch(2, othersAlive: 2);
        Assert.False(plan.ShouldRelease(audibleLeaders: 2, leadersPublished: 500));
        plan.OnLost(0, block: 500); // died rendering block 500: a fault of the DSP at 500 would strike the other too
        Assert.False(plan.ShouldRelease(audibleLeaders: 1, leadersPublished: 500));
        Assert.True(plan.ShouldRelease(audibleLeaders: 1, leadersPublished: 501)); // the other rendered 500: chance, not the DSP
        plan.Release();
        Assert.Equal(-1, plan.Slot);
    }

    [Fact]
    public void WithNoLeaderLeftTheTrailerIsReleasedAtOnce()
    {
        var plan = new TrailerPlan();
        plan.OnLaunch(2, othersAlive: 2);
        plan.OnLost(0, block: 500);
        plan.OnLost(1, block: 500); // both died in block 500: the verdict on it is in the log by the time this is asked
        Assert.True(plan.ShouldRelease(audibleLeaders: 0, leadersPublished: -1));
    }

    [Fact]
    public void ATrailerMadeWhileALeaderIsStillStartingTrailsTheOneThatCanBeHeard()
    {
        var plan = new TrailerPlan();
        plan.OnLaunch(1, othersAlive: 2); // slot 0 plays, slot 2 is being rebuilt
        Assert.False(plan.ShouldRelease(audibleLeaders: 1, leadersPublished: 900));
        Assert.True(plan.ShouldRelease(audibleLeaders: 0, leadersPublished: -1));
    }

    [Fact]
    public void TheTrailersOwnLossEndsItsTrailingAndItsSuccessorTrailsAgain()
    {
        var plan = new TrailerPlan();
        plan.OnLaunch(2, othersAlive: 2);
        plan.OnLost(2, block: 700);
        Assert.Equal(-1, plan.Slot);
        Assert.Equal(-1, plan.LostAt);
        Assert.True(plan.OnLaunch(2, othersAlive: 2));
        Assert.False(plan.ShouldRelease(audibleLeaders: 2, leadersPublished: 900));
    }
}
