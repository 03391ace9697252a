namespace Perpetuo.Supervisor.Tests.Simulation;

/// <summary>What befalls the engine in one simulated run, drawn from a seed: faults at times, and how spawns behave.</summary>
/// <param name="Faults">The faults, in time order.</param>
/// <param name="SpawnFailureRate">The share of process starts that fail.</param>
/// <param name="SlowSpawnRate">The share of process starts that take seconds.</param>
/// <param name="Seconds">How long the run plays after its start, at least.</param>
/// <param name="HealFirst">Each fault waits until every slot has a verified worker again, and the run plays
/// <see cref="HealSeconds"/> after the last one.</param>
internal sealed record SimSchedule(IReadOnlyList<SimFault> Faults, double SpawnFailureRate, double SlowSpawnRate, double Seconds,
                                   bool HealFirst = false)
{
    /// <summary>How long a run that heals first plays on after its last fault.</summary>
    public const double HealSeconds = 5.0; // a slow spawn (up to 3 s), a failed one retried, the verification

    /// <summary>
    /// One fault at a time, each once the last has healed (every slot verified again): kills and hangs of either worker, stalls,
    /// command bursts, slow and failing spawns — every one of which a healthy pair survives without a gap.
    /// </summary>
    public static SimSchedule Single(Random random)
    {
        var faults = new List<SimFault>();
        double t = 0.3;
        for (int i = 0; i < 3; i++)
        {
            t += 0.2 + (random.NextDouble() * 0.5);
            faults.Add(new SimFault(t, Pick(random, [SimFaultKind.KillActive, SimFaultKind.KillStandby, SimFaultKind.HangActive,
                                                     SimFaultKind.HangStandby, SimFaultKind.Stall, SimFaultKind.CommandBurst,
                                                     SimFaultKind.KillInModule, SimFaultKind.CorruptSnapshot,
                                                     SimFaultKind.DivergeStandby]),
                                    random.Next(5, 60), random.Next(1, 200)));
        }
        return new SimSchedule(faults, SpawnFailureRate: 0.1, SlowSpawnRate: 0.1, Seconds: t, HealFirst: true);
    }

    /// <summary>
    /// A fault of the DSP itself, in every replica at the same block: "fx" armed to crash or to hang, once the three
    /// workers are whole, and then restored and armed again. The trailing replica must play every block of it.
    /// </summary>
    public static SimSchedule Deterministic(Random random)
    {
        SimFaultKind first = random.Next(2) == 0 ? SimFaultKind.ArmCrash : SimFaultKind.ArmHang;
        SimFaultKind second = random.Next(2) == 0 ? SimFaultKind.ArmCrash : SimFaultKind.ArmHang;
        double t = 1.2 + random.NextDouble(); // the deadline switch is armed after a second of audio (TrailingReplica.ArmedAfter)
        return new SimSchedule([new SimFault(t, first, 0, 0), new SimFault(t + 0.5, SimFaultKind.Restore, 0, 0),
                                new SimFault(t + 1.0, second, 0, 0)],
                               SpawnFailureRate: 0.05, SlowSpawnRate: 0.05, Seconds: t + 1.0, HealFirst: true);
    }

    /// <summary>
    /// Anything, close together: several kills and hangs at once, a deterministic crash or hang in every replica, a
    /// chain whose state cannot be saved (a plugin), control-thread stalls, floods. The engine may fall silent; it must
    /// never play a wrong block, quarantine without evidence, loop on restarts, or stay broken once the faults stop.
    /// </summary>
    public static SimSchedule Chaos(Random random)
    {
        var faults = new List<SimFault>();
        int count = random.Next(2, 9);
        SimFaultKind[] kinds = [.. Enum.GetValues<SimFaultKind>().Except(NotInChaos)];
        for (int i = 0; i < count; i++)
        {
            faults.Add(new SimFault(0.3 + (random.NextDouble() * 3.0), kinds[random.Next(kinds.Length)], random.Next(2, 80), random.Next(1, 2000)));
        }
        faults.Sort((a, b) => a.At.CompareTo(b.At));
        return new SimSchedule(faults, SpawnFailureRate: 0.2, SlowSpawnRate: 0.2, Seconds: faults[^1].At + 5.0);
    }

    /// <summary>
    /// Not drawn by <see cref="Chaos"/>: spawns that never succeed again (the pair cannot heal: only the crash-loop
    /// test uses it), the heard worker going silently wrong (its first wrong blocks are heard before anything can
    /// know: its own test bounds them), and a snapshot that does not reproduce its worker's state — caught when a worker resumes from
    /// it and is compared (a resync, in <see cref="Single"/>), but not when it is kept as a checkpoint and every
    /// replica is lost before the next one: then a recovery has no one to compare with (docs/architecture.md).
    /// </summary>
    private static readonly SimFaultKind[] NotInChaos = [SimFaultKind.BreakSpawns, SimFaultKind.CorruptSnapshot, SimFaultKind.DivergeActive,
                                                         SimFaultKind.SlowLeaders];

    private static SimFaultKind Pick(Random random, SimFaultKind[] kinds) => kinds[random.Next(kinds.Length)];
}

/// <summary>One fault: its kind, when (simulated seconds), a length in milliseconds and a count where the kind takes one.</summary>
internal readonly record struct SimFault(double At, SimFaultKind Kind, int Milliseconds, int Count);

internal enum SimFaultKind
{
    KillActive,
    KillStandby,
    HangActive,
    HangStandby,
    Stall,
    CommandBurst,
    KillInModule,
    CorruptSnapshot,
    DivergeStandby,
    DivergeActive,
    KillAll,
    ArmCrash,
    ArmHang,
    Plugin,
    ControlStall,
    Restore,
    SlowLeaders,
    BreakSpawns,
}
