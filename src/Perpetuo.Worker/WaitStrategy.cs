namespace Perpetuo.Worker;

/// <summary>How a worker waits when it is as far ahead of the output as it may be.</summary>
public enum WaitStrategy
{
    /// <summary>
    /// Sleep on the region's doorbell (a futex) until the supervisor rings it: woken within microseconds of a block
    /// consumed or a limit raised, no CPU while idle (the default; see <c>RegionDoorbell</c>).
    /// </summary>
    Doorbell,

    /// <summary>Sleep about 1 ms between looks: ~0.1 % of a core, up to ~1 ms of extra reaction time.</summary>
    Sleep,

    /// <summary>Yield the processor between looks: lower reaction time, burns a core when nothing else runs.</summary>
    Yield,

    /// <summary>Busy-spin: lowest reaction time, burns a core. For benchmarks and isolated cores only.</summary>
    Spin,
}
