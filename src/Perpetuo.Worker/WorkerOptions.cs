namespace Perpetuo.Worker;

/// <summary>What a worker process is told on its command line.</summary>
/// <param name="RegionPath">Its slot's region: the supervisor's memory file, /proc/PID/fd/N.</param>
/// <param name="PatchPath">The patch to build when it does not start from a snapshot (also a memory file of the
/// supervisor's, so it is there as long as the supervisor is, whatever happens to the file system).</param>
/// <param name="Wait">How it waits when it is far enough ahead.</param>
/// <param name="SafetyClipper">The output safety stage, on unless play was given --no-limiter: not in snapshots
/// (a setting, not state), so every worker of a session is told it, whether it builds the patch or loads a snapshot.</param>
/// <param name="AllowFaultModules">Whether the test-only <c>fault</c> module may be built (play --allow-fault-injection).</param>
/// <param name="InputRecordPath">The session's live input on disk from block 0 (a float WAV, <see cref="InputRecordReader"/>):
/// the input of a block the region's input ring no longer holds; null without one.</param>
public sealed record WorkerOptions(string RegionPath, string PatchPath, WaitStrategy Wait = WaitStrategy.Doorbell, bool SafetyClipper = true,
                                   bool AllowFaultModules = false, string? InputRecordPath = null);
