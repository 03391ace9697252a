namespace Perpetuo.Supervisor.Control;

/// <summary>How an engine runs. Validated by the CLI before use.</summary>
public sealed record EngineOptions
{
    public int SampleRate { get; init; } = 48000;
    public int Channels { get; init; } = 2;
    public int BlockFrames { get; init; } = 256;

    /// <summary>Blocks the workers render ahead of the output: the engine's latency (depth x block period).</summary>
    public int RingDepth { get; init; } = 3;

    /// <summary>
    /// Worker slots: 3 for two leaders and a trailing replica (a fault of the DSP itself costs no block, and a loss
    /// leaves a verified pair), 2 for a hot-standby pair, 1 for a single worker.
    /// </summary>
    public int Slots { get; init; } = DefaultSlots;

    /// <summary>
    /// Blocks of live input each region keeps (a power of two; 0: the most <c>Limits.InputHistoryBytes</c> holds, ~43 s
    /// of stereo at 48 kHz). A worker replayed from further back reads the older input from the session's record on
    /// disk (<see cref="WorkerSettings.InputRecord"/>). Tests set it small to reach that boundary in seconds.
    /// </summary>
    public int InputHistoryBlocks { get; init; }

    /// <summary>
    /// Commands the command log keeps in managed memory (<c>Limits.CommandLogWindow</c>); a plugin session's older ones
    /// go to the spill in <see cref="CommandSpillDirectory"/>. Tests set it small to reach that boundary in seconds.
    /// </summary>
    public int CommandLogWindow { get; init; } = Perpetuo.Protocol.Limits.CommandLogWindow;

    /// <summary>
    /// Where the command log's spill is made (a nameless file: nothing is left there), or null for none (the log then
    /// doubles in memory when a plugin session outgrows its window).
    /// </summary>
    public string? CommandSpillDirectory { get; init; } = Path.GetTempPath();

    /// <summary>The slots an engine has unless told (<c>play --slots</c>): two leaders and a trailing replica.</summary>
    public const int DefaultSlots = 3;

    /// <summary>A worker that has work but makes no progress for this many block periods (and at least
    /// <see cref="WorkerHealth.MinHangTimeout"/>) is declared hung.</summary>
    public double HangTimeoutBlocks { get; init; } = 2;

    /// <summary>Consecutive blocks whose hash equals the played block before a resynced worker becomes standby.</summary>
    public int VerifyBlocks { get; init; } = 16;

    /// <summary>Misses (blocks the other slot had) within 2 s after which a slow worker is replaced; raised to
    /// <see cref="WorkerHealth.SlowMissedAudio"/> worth of blocks at small block sizes.</summary>
    public int SlowMissLimit { get; init; } = 8;

    /// <summary>Worker wait strategy name: sleep, yield or spin.</summary>
    public string WaitStrategy { get; init; } = "doorbell";

    public bool AllowFaultInjection { get; init; }

    /// <summary>
    /// The workers' output safety stage (a soft clipper under -0.3 dBFS, see docs/architecture.md): on unless the
    /// user asked for raw output with --no-limiter. A render of the session must use the same setting to match.
    /// </summary>
    public bool Limiter { get; init; } = true;

    /// <summary>
    /// Whether the control thread and caught-up workers may take SCHED_FIFO (when privileged): true only when the
    /// output's audio thread may be real-time itself (<c>IAudioOutput.AudioThreadMayBeRealtime</c>), so they always
    /// stay below it, never above an ordinary audio thread they feed.
    /// </summary>
    public bool Realtime { get; init; } = true;

    /// <summary>
    /// Nice value a respawned worker starts at (it raises its own priority once warm and caught up): its start-up
    /// must not take the CPU from the survivor, the audio thread or a sound server running without real-time
    /// priority.
    /// </summary>
    public int RespawnNice { get; init; } = 10;

    /// <summary>
    /// Keep one worker process started, compiled and waiting, for the next slot that needs one (on by default): a
    /// restart then costs milliseconds instead of a process start. Costs one idle process (about 40 MB).
    /// </summary>
    public bool SpareWorker { get; init; } = true;

    /// <summary>
    /// Seconds of audio between checkpoints: snapshots of a verified worker the supervisor keeps, so that a worker
    /// started with no survivor resumes from the newest one instead of replaying the session from block 0, and the
    /// command log can forget what they cover. 0 turns checkpoints off (the log then keeps every command).
    /// </summary>
    public double CheckpointSeconds { get; init; } = 10;

    /// <summary>The patch (JSON) the workers build; the engine writes it into its run directory.</summary>
    public required string PatchJson { get; init; }

    /// <summary>Starts the workers (<see cref="WorkerLaunch"/>: this program's worker verb; a simulation's own).</summary>
    public required IWorkerLauncher Launch { get; init; }

    /// <summary>Restart intensity per slot.</summary>
    public Func<RestartPolicy> RestartPolicy { get; init; } = () => new RestartPolicy();

    /// <summary>
    /// Whether the engine has a live input (play --input, --inputs): each region then keeps an input ring, the callback
    /// stamps every captured block into both, and the workers render block N from input N.
    /// </summary>
    public bool LiveInput { get; init; }

    /// <summary>Ring capacity: a power of two with room beyond the depth.</summary>
    public int RingCapacity
    {
        get
        {
            int c = 2;
            while (c < RingDepth + 2)
            {
                c *= 2;
            }
            return c;
        }
    }
}
