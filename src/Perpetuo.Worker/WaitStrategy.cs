namespace Perpetuo.Worker;

/// <summary>How a worker waits when it is as far ahead of the output as it may be.</summary>
public enum WaitStrategy
{
    /// <summary>Sleep about 1 ms between looks: ~0.1 % of a core, up to ~1 ms of extra reaction time (the default).</summary>
    Sleep,

    /// <summary>Yield the processor between looks: lower reaction time, burns a core when nothing else runs.</summary>
    Yield,

    /// <summary>Busy-spin: lowest reaction time, burns a core. For benchmarks and isolated cores only.</summary>
    Spin,
}
