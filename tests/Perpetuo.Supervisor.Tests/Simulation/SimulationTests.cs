using Perpetuo.Supervisor.Control;

namespace Perpetuo.Supervisor.Tests.Simulation;

/// <summary>
/// The control thread as a whole, through seeded schedules in simulated time (<see cref="Simulation"/>): the real
/// engine and callback over real shared memory, workers of the simulation's own. A failing seed replays: run the one
/// test with PERPETUO_SIM_SEED=N. PERPETUO_SIM_SEEDS raises the number of seeds (CI runs the defaults).
/// </summary>
public sealed class SimulationTests
{
    private static int Seeds(int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable("PERPETUO_SIM_SEEDS"), out int n) && n > 0 ? n : fallback;

    private static IEnumerable<int> SeedsToRun(int count, int salt) =>
        int.TryParse(Environment.GetEnvironmentVariable("PERPETUO_SIM_SEED"), out int one) ? [one] : Enumerable.Range(salt, Seeds(count));

    [Theory]
    [InlineData(3)]
    [InlineData(2)]
    public void SingleFaultsWithTimeToHealAreHitlessExactAndHealed(int slots)
    {
        foreach (int seed in SeedsToRun(40, 1_000))
        {
            using var sim = new Simulation(seed, SimSchedule.Single, slots).Run();
            Assert.True(sim.WrongBlocks() is [], "a wrong block was played; " + sim.Summary());
            Assert.True(sim.Underruns == 0, sim.Summary());
            Assert.True(sim.Whole, "the pair is not whole again; " + sim.Summary());
        }
    }

    [Fact]
    public void ADeterministicCrashOrHangInEveryReplicaCostsNoBlockWithATrailingReplica()
    {
        foreach (int seed in SeedsToRun(40, 3_000))
        {
            using var sim = new Simulation(seed, SimSchedule.Deterministic).Run();
            Assert.True(sim.WrongBlocks() is [], "a wrong block was played; " + sim.Summary());
            Assert.True(sim.Underruns == 0, sim.Summary());
            Assert.Equal(2, sim.Lines.Count(l => l.Kind == "module_quarantined"));
            Assert.True(sim.Whole, "the slots are not whole again; " + sim.Summary());
        }
    }

    [Fact]
    public void LeadersSlowInTheSameModuleBeyondTheLeadAreNotQuarantinedForGood()
    {
        // Both leaders spend 20 ms (15 blocks, the lead is 3) inside "fx" at the same block, then go on: the deadline
        // switch plays the block without it, and is undone when a leader finishes the block — never a quarantine that
        // stays, and never a wrong block.
        static SimSchedule Slow(Random r) => new([new SimFault(1.2 + r.NextDouble(), SimFaultKind.SlowLeaders, 20, 0)], 0, 0, 2.0, HealFirst: true);
        foreach (int seed in SeedsToRun(20, 5_000))
        {
            using var sim = new Simulation(seed, Slow).Run();
            Assert.True(sim.WrongBlocks() is [], "a wrong block was played; " + sim.Summary());
            Assert.True(sim.Lines.Count(l => l.Kind == "module_quarantined") >= 1, "the switch was heard; " + sim.Summary());
            Assert.Equal(sim.Lines.Count(l => l.Kind == "module_quarantined"), sim.Lines.Count(l => l.Kind == "quarantine_undone"));
            Assert.True(sim.Underruns == 0, sim.Summary());
            Assert.Empty(sim.Engine.Quarantined);
            Assert.True(sim.Whole, sim.Summary());
        }
    }

    [Fact]
    public void LeadersSlowInTheSameModuleWithinTheLeadCostNothing()
    {
        // 2 ms inside "fx" at the same block, at a ring depth of 6 (8 ms of lead): late enough to arm the switch (a block
        // period is 1.33 ms), done before the output needs the block (it fires 2 blocks ahead): the switch is cancelled,
        // no module is quarantined, no worker is replaced and nothing differs.
        static SimSchedule Slow(Random r) => new([new SimFault(1.2 + r.NextDouble(), SimFaultKind.SlowLeaders, 2, 0),
                                                  new SimFault(2.4 + r.NextDouble(), SimFaultKind.SlowLeaders, 2, 0)], 0, 0, 4.0);
        int cancelled = 0;
        foreach (int seed in SeedsToRun(20, 6_000))
        {
            using var sim = new Simulation(seed, Slow, depth: 6).Run();
            Assert.True(sim.WrongBlocks() is [], "a wrong block was played; " + sim.Summary());
            Assert.Equal(0, sim.Lines.Count(l => l.Kind is "module_quarantined" or "killed"));
            Assert.True(sim.Underruns == 0, sim.Summary());
            cancelled += sim.Lines.Count(l => l.Kind == "deadline_switch_cancelled");
        }
        Assert.True(cancelled > 0, "the switch was never armed: the test tests nothing");
    }

    [Fact]
    public void AHeardWorkerGoingWrongIsOutvotedByTheOtherTwoWithinATick()
    {
        // Its first wrong blocks are heard (nothing can know before they are compared); the two others disagree with
        // it on those blocks, and it is replaced at once: no referee, no replay from a checkpoint.
        static SimSchedule Wrong(Random r) => new([new SimFault(0.5 + r.NextDouble(), SimFaultKind.DivergeActive, 0, 0)], 0, 0, 2.0, HealFirst: true);
        foreach (int seed in SeedsToRun(20, 4_000))
        {
            using var sim = new Simulation(seed, Wrong).Run();
            List<long> wrong = sim.WrongBlocks();
            Assert.True(wrong.Count is > 0 and <= 2, $"{wrong.Count} wrong blocks heard; " + sim.Summary());
            Assert.Equal(0, sim.Lines.Count(l => l.Kind == "cold_start")); // no referee
            Assert.True(sim.Whole, sim.Summary());
        }
    }

    [Fact]
    public void TheCrashLoopInvariantCatchesAnEngineBrokenOnPurpose()
    {
        // Every spawn fails from 0.5 s on, and the heard worker dies. The restart intensity (5 in 10 s, then backoff)
        // keeps the attempts few; an unbounded one is a storm of spawns — and the invariant must see it, or it proves nothing.
        static SimSchedule Broken(Random _) => new([new SimFault(0.5, SimFaultKind.BreakSpawns, 0, 0),
                                                    new SimFault(0.6, SimFaultKind.KillActive, 0, 0)], 0, 0, 6.0);
        using (var bounded = new Simulation(7, Broken).Run())
        {
            Assert.True(bounded.Starts <= StartsAllowed(bounded), bounded.Summary());
        }
        using var unbounded = new Simulation(7, Broken, restarts: () => new RestartPolicy { MaxRestarts = int.MaxValue }).Run();
        Assert.True(unbounded.Starts > StartsAllowed(unbounded), $"{unbounded.Starts} starts; " + unbounded.Summary());
    }

    /// <summary>Process starts a run may ask for: a start and a spare per slot, and per fault a few restarts and a spare.</summary>
    private static int StartsAllowed(Simulation sim) => (2 * sim.Engine.SlotCount) + (12 * sim.Schedule.Faults.Count);

    [Theory]
    [InlineData(3)]
    [InlineData(2)]
    public void UnderChaosNoWrongBlockIsPlayedNoQuarantineLacksEvidenceAndThePairHeals(int slots)
    {
        foreach (int seed in SeedsToRun(60, 2_000))
        {
            using var sim = new Simulation(seed, SimSchedule.Chaos, slots).Run();
            Assert.True(sim.WrongBlocks() is [], "a wrong block was played; " + sim.Summary());
            Assert.True(sim.Whole, "the pair is not whole again; " + sim.Summary());
            foreach (var q in sim.Lines.Where(l => l.Kind == "module_quarantined"))
            {
                Assert.True(sim.Armed || sim.KilledInModuleAt.Count >= 2, "a quarantine without evidence; " + sim.Summary());
            }
            Assert.True(sim.Starts <= StartsAllowed(sim), $"a crash loop: {sim.Starts} starts; " + sim.Summary());
        }
    }
}
