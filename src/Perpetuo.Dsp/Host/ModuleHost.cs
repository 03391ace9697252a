namespace Perpetuo.Dsp;

/// <summary>
/// A chain of modules rendering interleaved float blocks, driven by timed commands.
/// Design: one thread (the worker loop) owns the host: it queues the commands it drained from shared memory,
/// calls <see cref="ProcessChain"/>, and may configure the chain between blocks. Nothing here is thread-safe and
/// nothing needs to be. Every buffer is allocated in the constructor or when a module is added, so rendering a
/// configured chain allocates nothing. The output is a pure function of the patch, the commands and their
/// block/frame positions: no clocks, no shared RNG, no dictionaries, no parallelism. A block is split at
/// command offsets into segments; each segment is rendered by every module in chain order, which with
/// per-frame parameter ramps makes the output independent of how blocks are split.
/// </summary>
/// <remarks>
/// The RT members keep the names the worker contract fixes (<see cref="ProcessChain"/>, <see cref="QueueCommand"/>);
/// <see cref="TryQueueCommand"/> is the habit-conforming variant. Configuration members (AddModule, RemoveModule,
/// LoadSnapshot, SaveSnapshot, Describe) allocate and must be called between blocks by the same thread.
/// </remarks>
public sealed partial class ModuleHost
{
    /// <summary>Commands accepted per block before further ones are rejected: the supervisor admits no more than
    /// this many at one block (<see cref="Perpetuo.Protocol.Limits.CommandsPerBlock"/>), so none is ever refused here.</summary>
    public const int CommandCapacity = Perpetuo.Protocol.Limits.CommandsPerBlock;

    /// <summary>Longest accepted ramp.</summary>
    public const float MaxRampSeconds = Perpetuo.Protocol.Limits.MaxRampSeconds;

    /// <summary>Glide applied to "immediate" changes of smoothed parameters, to avoid zipper noise.</summary>
    public const float DezipperSeconds = 0.005f;

    private const int MaxIdLength = 64;
    private readonly List<Module> _modules = [];
    private readonly CommandQueue _commands = new(CommandCapacity);
    private readonly NoteEventList _events;
    private readonly ModuleContext _context;
    private readonly int _dezipperFrames;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Type, string Id), Module> _prebuilt = new();
    private readonly float[] _dry;                     // a segment as it entered the running module (its bypass)
    private readonly QuarantineReport[] _reports = new QuarantineReport[Perpetuo.Protocol.Limits.MaxModules];
    private int _reportCount;
    private SnapshotWriter? _snapshotWriter; // reused by SaveSnapshotInPlace

    /// <summary>Creates an empty chain.</summary>
    /// <exception cref="DspException">sampleRate not in 1000..768000, channels not in 1..64, maxBlockFrames not in 1..1048576.</exception>
    public ModuleHost(int sampleRate, int channels, int maxBlockFrames)
    {
        Check(sampleRate is >= 1000 and <= 768000, $"sample rate {sampleRate} is out of range [1000, 768000]");
        Check(channels is >= 1 and <= 64, $"channel count {channels} is out of range [1, 64]");
        Check(maxBlockFrames is >= 1 and <= 1 << 20, $"max block frames {maxBlockFrames} is out of range [1, 1048576]");
        Input = new LiveInput(channels, maxBlockFrames);
        _context = new ModuleContext(sampleRate, channels, maxBlockFrames, Input);
        _dezipperFrames = Math.Max(1, (int)MathF.Round(sampleRate * DezipperSeconds));
        _dry = new float[maxBlockFrames * channels];

        _events = new NoteEventList(NoteEventList.CapacityFor(maxBlockFrames));
        Modules = _modules.AsReadOnly();
    }

    /// <summary>The live input <c>input</c> modules mix in: set it before each block (silence until then).</summary>
    public LiveInput Input { get; }

    /// <summary>Frames per second.</summary>
    public int SampleRate => _context.SampleRate;

    /// <summary>Interleaved channels per frame.</summary>
    public int Channels => _context.Channels;

    /// <summary>Largest block <see cref="ProcessChain"/> accepts, in frames.</summary>
    public int MaxBlockFrames => _context.MaxBlockFrames;

    /// <summary>The chain, in processing order.</summary>
    public IReadOnlyList<IModule> Modules { get; }

    /// <summary>Commands ignored because they were invalid (bad kind, NaN, unknown module or parameter, out of range, queue full).</summary>
    public long RejectedCommands { get; private set; }

    /// <summary>Output samples that were NaN/Inf and replaced by 0 by the final safety net; stays 0 unless a module has a bug.</summary>
    public long NonFiniteSamples { get; private set; }

    /// <summary>
    /// True (the default): every block ends in the <see cref="SafetyClipper"/>, so no sample exceeds
    /// <see cref="SafetyClipper.Ceiling"/>. False only when a user asked for the raw output (`--no-limiter`).
    /// </summary>
    /// <remarks>A setting of the process, not state: not in snapshots, so whoever builds or loads a host sets it
    /// (the worker from its command line, render from its own), and every replica of a session must agree.</remarks>
    public bool SafetyClipperEnabled { get; set; } = true;

    /// <summary>Samples the safety clipper changed (they were above <see cref="SafetyClipper.Threshold"/>).</summary>
    public long ClippedSamples { get; private set; }

    /// <summary>Blocks in which the safety clipper changed at least one sample.</summary>
    public long ClippedBlocks { get; private set; }

    /// <summary>
    /// Whether the test-only <c>fault</c> module type may be built (by a command or a snapshot). Off by default;
    /// on only in the workers of `play --allow-fault-injection`. Set it before the first block.
    /// </summary>
    public bool AllowFaultModules { get; set; }

    /// <summary>Told which module runs (the worker's record of where it is); null: nobody asks.</summary>
    public IChainProbe? Probe { get; set; }

    /// <summary>The modules this host quarantined by itself in the last <see cref="ProcessChain"/> (a NaN or an
    /// exception at the module's boundary). Valid until the next call.</summary>
    public ReadOnlySpan<QuarantineReport> QuarantinedInLastBlock => _reports.AsSpan(0, _reportCount);

    /// <summary>The exception of the newest quarantine for an exception (for the worker's log), or null.</summary>
    public Exception? LastQuarantineError { get; private set; }

    /// <summary>Ids of the modules in the chain that are quarantined now, in chain order. Allocates.</summary>
    public IReadOnlyList<string> QuarantinedModules => _modules.Where(m => m.Quarantined).Select(m => m.Id).ToArray();

    /// <summary>Note events lost because one segment produced more than the event list holds.</summary>
    public long DroppedEvents => _events.Dropped;

    /// <summary>Every module back to its just-configured state: parameters jump to their set values (which are kept), all DSP state is cleared (phases, filters, envelopes, voices, sequencer position, noise seed).</summary>
    /// <remarks>Queued commands are kept and apply to the next block.</remarks>
    public void Reset()
    {
        foreach (Module m in _modules)
        {
            m.Reset();
        }
    }

    /// <summary>Every module with every parameter, for a "list modules" query. Allocates.</summary>
    public IReadOnlyList<ModuleInfo> Describe() =>
        _modules.Select(m => new ModuleInfo(m.Id, m.Type, m.Descriptor.Params.Select((p, i) =>
            new ParamInfo(p.Name, m.Param(i).Target, m.Param(i).Current, p.Min, p.Max)).ToArray())).ToArray();

    private int IndexOf(string id)
    {
        for (int i = 0; i < _modules.Count; i++)
        {
            if (string.Equals(_modules[i].Id, id, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool IsValidId(string? id) => !string.IsNullOrWhiteSpace(id) && id.Length <= MaxIdLength;

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new DspException(message);
        }
    }
}
