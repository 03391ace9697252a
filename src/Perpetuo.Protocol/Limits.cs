namespace Perpetuo.Protocol;

/// <summary>
/// Every limit of the engine that an untrusted input meets, in one place (as Kestrel's <c>KestrelServerLimits</c>
/// and SQLite's <c>sqliteLimit.h</c> keep theirs). Each queue and format that must hold the same records derives its
/// size from here, so no two of them can disagree; each limit has a test at N and N+1.
/// </summary>
/// <remarks>
/// Design: the chain of places a command passes through is the supervisor's per-block admission
/// (<see cref="CommandsPerBlock"/>), the slot's command ring in shared memory (<see cref="CommandRingRecords"/>),
/// the worker's per-block drain (the whole ring) and the DSP host's command queue (<see cref="CommandsPerBlock"/>).
/// A worker renders block N only once every record stamped at or before N is in its ring, and it drains every such
/// record before rendering N; so the ring must hold one block's records whole, and the admission refuses a request
/// that would stamp more than that at one block — before anything is stamped. Nothing is ever applied a block late.
/// </remarks>
public static class Limits
{
    /// <summary>
    /// Most modules in a chain: what a snapshot can describe. Adding a module beyond it, or loading a patch with
    /// more, is refused by the supervisor.
    /// </summary>
    public const int MaxModules = 256;

    /// <summary>
    /// Commands the audio process's command log keeps in its managed memory (8 MiB of 128-byte records): ~65 s of a
    /// 1,000-commands/s stream. Older ones a plugin session still needs for a rebuild go to the command spill on disk.
    /// </summary>
    public const int CommandLogWindow = 65536;

    /// <summary>
    /// Most commands the command spill holds (a sparse nameless file of 16 GiB, blocks taken as written): 37 hours of a
    /// 1,000-commands/s stream. Past it the log keeps its commands in memory again (and says so).
    /// </summary>
    public const long CommandSpillRecords = 1L << 27;

    /// <summary>Most parameters one module type may have (every patch of <see cref="MaxModules"/> fits one block).</summary>
    public const int MaxParamsPerModule = 31;

    /// <summary>
    /// Most DSP commands stamped at one block: a whole patch of <see cref="MaxModules"/> modules with every parameter
    /// set (one add and <see cref="MaxParamsPerModule"/> sets each) fits. The supervisor admits no more; the DSP
    /// host's command queue holds exactly this many.
    /// </summary>
    public const int CommandsPerBlock = MaxModules * (1 + MaxParamsPerModule);

    /// <summary>Most commands waiting for a later block (future time tags) at once; a request beyond it is refused.</summary>
    public const int ScheduledCommands = 16 * CommandsPerBlock;

    /// <summary>
    /// Records the supervisor may write to a slot's ring outside the command log at one block: a checkpoint's
    /// snapshot request, a resync's snapshot request, and one fault injection.
    /// </summary>
    public const int ControlRecordsPerBlock = 3;

    /// <summary>
    /// Records in a slot's command ring (a power of two): one block's commands and control records, whole. The
    /// worker drains up to this many per block, so everything due at a block is applied at that block.
    /// </summary>
    public const int CommandRingRecords = 16384;

    /// <summary>
    /// Bytes of live input each slot's region keeps (its input ring; also the supervisor's own copy, the input tape):
    /// 43 s of stereo at 48 kHz. A worker started from a snapshot catches up on the input since it, so the engine
    /// takes checkpoints often enough that the older of the two it keeps is always within this history.
    /// </summary>
    public const long InputHistoryBytes = 32L << 20;

    /// <summary>Bytes of a slot's snapshot area: a snapshot of <see cref="MaxModules"/> of the largest module fits (tested).</summary>
    public const long SnapshotBytes = 4L << 20;

    /// <summary>
    /// Most OSC messages read from one datagram; a packet with more is refused whole, unparsed. Parsing and
    /// validating a message takes ~4 µs here (AMD EPYC, bench/hostile.py): 256 keep a datagram near a millisecond.
    /// </summary>
    public const int MessagesPerPacket = 256;

    /// <summary>Most OSC messages handled in one control tick (the rest wait in the socket buffer).</summary>
    public const int MessagesPerTick = 256; // one full datagram: ~5 ms of parsing at worst (hostile.py), about a block at 256 frames

    /// <summary>Most replies sent for one datagram; further replies are counted as suppressed.</summary>
    public const int RepliesPerPacket = 32;

    /// <summary>Reply bytes the control port sends per second at most (a token bucket), so it is no amplifier.</summary>
    public const int ReplyBytesPerSecond = 256 * 1024;

    /// <summary>Longest module id, in UTF-8 bytes (a field of the command record: part of the region format).</summary>
    public const int MaxIdBytes = 40;

    /// <summary>Longest module type or parameter name, in UTF-8 bytes (a field of the command record).</summary>
    public const int MaxNameBytes = 48;

    /// <summary>Furthest ahead a bundle time tag may be, in seconds (a day); a later one is refused, never played early.</summary>
    public const double MaxScheduleAheadSeconds = 86_400;

    /// <summary>Longest parameter ramp, in seconds (the supervisor refuses longer ones; the DSP host ignores them).</summary>
    public const float MaxRampSeconds = 600;

    /// <summary>Largest patch file read, in bytes (play --patch, render --patch, /perpetuo/patch/load).</summary>
    public const int PatchFileBytes = 1 << 20;

    /// <summary>
    /// CPU time a worker's real-time thread may use without blocking before the kernel kills the worker
    /// (RLIMIT_RTTIME): a caught-up worker waits on its doorbell every block, so only a runaway one (a plugin in an
    /// endless loop) reaches it — a backstop that holds even when nothing in the supervisor can run.
    /// </summary>
    public static readonly TimeSpan WorkerRealtimeBudget = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Longest one plugin's check may take (instantiate, activate, 2 x 2 x 64 blocks in `perpetuo plugins --check`):
    /// a plugin that takes longer is reported as hanging and costs only itself. The slowest of Debian's packs we
    /// measured instantiates in well under a second.
    /// </summary>
    public static readonly TimeSpan PluginCheckTime = TimeSpan.FromSeconds(10);

    /// <summary>Longest the description of every installed plugin may take (lilv reads their data; no plugin code runs).</summary>
    public static readonly TimeSpan PluginDescribeTime = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Longest one module may run without returning in <c>render</c> before the render is stopped as hung, naming the
    /// module and the block (RenderGuard). A render runs flat out, so a module's block takes microseconds to
    /// milliseconds; an LV2 plugin's first block (its instantiation) a second at most.
    /// </summary>
    public static readonly TimeSpan RenderHangTime = TimeSpan.FromSeconds(10);

    /// <summary>Bytes of a checked plugin's own output (its printf) kept to explain a failure; the rest is read and dropped.</summary>
    public const int PluginOutputBytes = 4096;

    /// <summary>
    /// Bytes of an LV2 plugin's atom port buffer (MIDI in, patch messages, notify outputs) when the plugin asks for no
    /// more (rsz:minimumSize), and the bufsz:sequenceSize option every plugin is given. A MIDI input holds every note
    /// a segment can carry, whatever this says (its size derives from <see cref="CommandsPerBlock"/>).
    /// </summary>
    public const int PluginAtomBytes = 32 * 1024;

    /// <summary>
    /// The largest atom port buffer a plugin may ask for (rsz:minimumSize: lsp's multisampler asks 13 MiB for the data
    /// its display would show); a plugin that requires a larger one is not hosted, an optional port that asks for more
    /// is left unconnected.
    /// </summary>
    public const int PluginAtomPortMaxBytes = 16 << 20;

    /// <summary>Bytes of one LV2 worker request (work:schedule) or response; a larger one is refused (LV2_WORKER_ERR_NO_SPACE).</summary>
    public const int PluginWorkBytes = 16 * 1024;

    /// <summary>Worker requests of one plugin instance waiting for their responses at once; one more is refused (LV2_WORKER_ERR_NO_SPACE).</summary>
    public const int PluginWorkQueue = 16;

    /// <summary>Responses one call of a plugin's work() may give (together at most <see cref="PluginWorkBytes"/>); more are refused.</summary>
    public const int PluginWorkResponses = 16;

    /// <summary>
    /// How long after the block it was made in a worker request is answered: the response is delivered at the start
    /// of the first block at least this much audio later, in every replica and in render (docs/architecture.md, LV2
    /// plugins). Work that takes longer is waited for there.
    /// </summary>
    public const double PluginWorkLatencySeconds = 0.05;

    /// <summary>Presets of one plugin that `perpetuo plugins` lists and a patch may choose from; the rest are ignored.</summary>
    public const int PluginPresets = 1024;

    /// <summary>Bytes of one plugin's own state (LV2 State) in a patch or saved by render: its values together.</summary>
    public const int PluginStateBytes = 256 * 1024;

    /// <summary>True when the derived sizes hold together (checked by a test; a const cannot assert).</summary>
    public static bool AreConsistent =>
        System.Numerics.BitOperations.IsPow2(CommandRingRecords)
        && CommandRingRecords >= CommandsPerBlock + ControlRecordsPerBlock
        && MessagesPerTick >= MessagesPerPacket;
}
