namespace Perpetuo.IntegrationTests;

// Why the engine tests that assert "0 underruns" play at --ring-depth 12 (64 ms of lead at 256 frames), not the
// default 3: the machines CI runs on stall every vCPU at random for 15-35 ms (measured on AMD EPYC, 2026-12-01:
// plain `play --seconds 40` with nothing injected had 3-4 underruns at depth 3 — in the build before this change as
// well as after it — a worker "hung" for 14 ms while its peer kept beating, and an underrun even at depth 6; at
// depth 12, 0 in every run). The failover under test is decided on the data path in one callback and does not
// depend on the lead; the lead only absorbs the machine's stalls. Live latency on such a machine is issue 14's.
internal static class RingDepth
{
    /// <summary>The ring depth of engine tests that assert no underrun.</summary>
    public const string Hitless = "12";
}
