using Perpetuo.Protocol;
using Perpetuo.Supervisor.Control;
using Failure = Perpetuo.Supervisor.Control.CulpritTracker.Failure;

namespace Perpetuo.Supervisor.Tests.Control;

/// <summary>A module is a culprit only when two different worker processes failed in it at the same block.</summary>
public sealed class CulpritTrackerTests
{
    private static Failure Crash(long block, string module, int pid, int slot = 0) =>
        new(block, module, QuarantineReason.Crash, pid, slot);

    [Fact]
    public void OneFailureProvesNothing()
    {
        var tracker = new CulpritTracker();
        Assert.False(tracker.Observe(Crash(10, "verb", 100), out Failure earlier));
        Assert.Equal(default, earlier);
    }

    [Fact]
    public void AnotherProcessFailingAtTheSameBlockInTheSameModuleNamesTheCulprit()
    {
        var tracker = new CulpritTracker();
        Failure first = Crash(10, "verb", 100, slot: 0);
        tracker.Observe(first, out _);

        Assert.True(tracker.Observe(new Failure(10, "verb", QuarantineReason.Hang, 200, 1), out Failure earlier));
        Assert.Equal(first, earlier);
    }

    [Fact]
    public void TheSameProcessFailingTwiceIsNotEvidence()
    {
        var tracker = new CulpritTracker();
        Assert.False(tracker.Observe(Crash(10, "verb", 100), out _));
        Assert.False(tracker.Observe(new Failure(10, "verb", QuarantineReason.Hang, 100, 0), out _));
    }

    [Fact]
    public void FailuresAtAnotherBlockOrInAnotherModuleAreNotEvidence()
    {
        var tracker = new CulpritTracker();
        tracker.Observe(Crash(10, "verb", 100), out _);

        Assert.False(tracker.Observe(Crash(11, "verb", 200), out _));
        Assert.False(tracker.Observe(Crash(10, "delay", 300), out _));
        Assert.False(tracker.Observe(Crash(10, "Verb", 400), out _)); // ids are compared ordinally
        Assert.True(tracker.Observe(Crash(11, "verb", 500), out Failure earlier)); // each pair still counts
        Assert.Equal(200, earlier.Pid);
    }

    [Fact]
    public void OnceACulpritIsNamedItsFailuresAreForgottenAndANewFaultNeedsNewEvidence()
    {
        var tracker = new CulpritTracker();
        tracker.Observe(Crash(10, "verb", 100), out _);
        tracker.Observe(Crash(10, "verb", 100), out _); // remembered twice, forgotten together
        Assert.True(tracker.Observe(Crash(10, "verb", 200), out _));

        // After a restore the module fails there again: the third process alone is one failure, not a culprit.
        Assert.False(tracker.Observe(Crash(10, "verb", 300), out _));
        Assert.True(tracker.Observe(Crash(10, "verb", 400), out Failure earlier));
        Assert.Equal(300, earlier.Pid);
    }

    [Theory]
    [InlineData(CulpritTracker.Remembered - 1, true)]
    [InlineData(CulpritTracker.Remembered, false)]
    public void OnlyTheNewestFailuresAreRemembered(int later, bool stillRemembered)
    {
        var tracker = new CulpritTracker();
        tracker.Observe(Crash(0, "verb", 1), out _);
        for (int i = 0; i < later; i++)
        {
            Assert.False(tracker.Observe(Crash(1000 + i, "other", 2), out _));
        }

        Assert.Equal(stillRemembered, tracker.Observe(Crash(0, "verb", 3), out _));
    }
}
