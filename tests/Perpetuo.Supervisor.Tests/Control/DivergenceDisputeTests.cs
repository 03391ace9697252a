using Perpetuo.Supervisor.Control;

namespace Perpetuo.Supervisor.Tests.Control;

/// <summary>The question two disagreeing replicas raise: a referee only while it is open, and settling clears both.</summary>
public sealed class DivergenceDisputeTests
{
    [Fact]
    public void ANewEngineHasNoQuestionAndNoReferee()
    {
        var d = new DivergenceDispute();
        Assert.False(d.IsOpen);
        Assert.Equal(-1, d.Referee);
        Assert.False(d.IsReferee(0));
        Assert.False(d.IsReferee(-1)); // "no referee" is never a slot
    }

    [Fact]
    public void NoRefereeCanBeAppointedWithoutAnOpenQuestion()
    {
        var d = new DivergenceDispute();
        Assert.Throws<InvalidOperationException>(() => d.Appoint(1));
        Assert.Equal(-1, d.Referee);
        d.Open();
        Assert.Throws<ArgumentOutOfRangeException>(() => d.Appoint(-1));
    }

    [Fact]
    public void TheAppointedSlotIsTheRefereeAndNoOther()
    {
        var d = new DivergenceDispute();
        d.Open();
        d.Appoint(1);
        Assert.True(d.IsReferee(1));
        Assert.False(d.IsReferee(0));
        d.Open(); // opening an open question again changes nothing
        Assert.True(d.IsReferee(1));
    }

    [Fact]
    public void LosingTheRefereeKeepsTheQuestionOpenLosingAnotherSlotChangesNothing()
    {
        var d = new DivergenceDispute();
        d.Open();
        d.Appoint(1);

        d.Lost(0);
        Assert.True(d.IsReferee(1));

        d.Lost(1);
        Assert.True(d.IsOpen);
        Assert.Equal(-1, d.Referee);

        d.Appoint(1); // the slot's next worker referees again
        Assert.True(d.IsReferee(1));
    }

    [Fact]
    public void AStartWithNoSurvivorDismissesTheRefereeButNotTheQuestion()
    {
        var d = new DivergenceDispute();
        d.Open();
        d.Appoint(0);
        d.NoReferee();
        Assert.True(d.IsOpen);
        Assert.False(d.IsReferee(0));
    }

    [Fact]
    public void SettlingClearsTheQuestionAndTheReferee()
    {
        var d = new DivergenceDispute();
        d.Open();
        d.Appoint(1);
        d.Settle();
        Assert.False(d.IsOpen);
        Assert.False(d.IsReferee(1));
        Assert.Throws<InvalidOperationException>(() => d.Appoint(1)); // a settled question has no referee to appoint
    }
}
