namespace Perpetuo.Lv2;

/// <summary>What <see cref="Lv2Replication.Check"/> found in one process.</summary>
/// <param name="Ran">Every instance was rendered (false: not supported, or it would not instantiate: <see cref="Reason"/>).</param>
/// <param name="Reason">Why it did not run, in words a musician understands ("" when it ran).</param>
/// <param name="Hashes">Hashes of four fresh instances' outputs, made one after the other: the first copy with its
/// controls at their defaults, then mid-range; then the second copy the same way. Empty when it did not run.</param>
public sealed record Lv2CheckResult(bool Ran, string Reason, IReadOnlyList<ulong> Hashes)
{
    /// <summary>The latency the first instance reported at the end of the test (lv2:reportsLatency), in frames; 0 when none.</summary>
    public float LatencyFrames { get; init; }
}
