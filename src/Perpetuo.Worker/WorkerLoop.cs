using System.Diagnostics;
using Perpetuo.Control.Patches;
using Perpetuo.Dsp;
using Perpetuo.Transport;
using Perpetuo.Protocol;

namespace Perpetuo.Worker;

/// <summary>
/// A worker process's life: attach to the slot's region, build the DSP (from the patch, or from the snapshot the
/// supervisor placed for a resync), then render block after block: drain the commands stamped for the block,
/// render it, publish it, beat.
/// </summary>
/// <remarks>
/// Design: the worker renders block s only when s is below the supervisor's render limit (every command for s is
/// then already in the command ring), the ring has a free slot and, with a live input, the callback has stamped
/// block s's input into the region; otherwise it waits by the configured strategy.
/// A worker behind the output (a resync catching up) renders without waiting; the output drops what it no longer
/// needs. The worker exits by itself when its supervisor is gone. Steady state allocates nothing.
/// </remarks>
public sealed class WorkerLoop : IDisposable
{
    private static readonly long LivenessPeriod = Stopwatch.Frequency / 10;
    private const long DoorbellTimeoutNanos = 100_000_000; // the longest sleep: the supervisor's liveness is looked at between

    private readonly SharedRegion _region;
    private readonly WorkerLink _link;
    private readonly AudioRingWriter _ring;
    private readonly CommandRingReader _commands;
    private readonly WaitStrategy _wait;
    private readonly float[] _block;
    private readonly CommandRecord[] _due;
    private readonly int _parentPid;
    private readonly RegionChainProbe _probe;
    private readonly RegionDoorbell _doorbell;
    private readonly InputRingReader? _input; // the live input, when the engine has one
    private readonly InputRecordReader? _record; // the session's input on disk: blocks the ring no longer holds
    private readonly float[] _inputBlock;
    private readonly WorkerErrands _errands = new(); // what the render thread must not do inside a block
    private readonly WorkerFaultInjection? _faults; // tests only (--fault-modules 1): null in every other worker
    private ModuleHost _host;
    private long _seq;
    private long _lookedAhead; // ring position up to which AddModule records were considered for prebuilding
    private int _dueCount;     // records in _due for the block being rendered
    private long _nextLivenessCheck;
    private bool _caughtUp;
    private bool _inputLost;

    public WorkerLoop(WorkerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _region = SharedRegion.Open(options.RegionPath);
        RegionLayout layout = _region.Layout;
        _link = new WorkerLink(_region);
        _faults = options.AllowFaultModules ? new WorkerFaultInjection(_link) : null;
        _ring = new AudioRingWriter(_region);
        _commands = new CommandRingReader(_region);
        _doorbell = new RegionDoorbell(_region);
        _wait = options.Wait;
        _block = new float[layout.BlockSamples];
        _input = layout.HasInput ? new InputRingReader(_region) : null;
        _record = layout.HasInput && options.InputRecordPath != null
            ? new InputRecordReader(options.InputRecordPath, layout.Channels, layout.BlockSamples) : null;
        _inputBlock = new float[layout.HasInput ? layout.BlockSamples : 0];
        // Room for the whole ring: every record due at a block is applied at that block, never one block late (the
        // supervisor admits at most Limits.CommandsPerBlock commands at one block, and the ring holds them whole).
        _due = new CommandRecord[layout.CommandCapacity];
        _parentPid = LibC.ParentProcessId();
        _seq = _link.StartSeq;
        byte[]? snapshot = _link.ReadSnapshot(out long snapshotSeq);
        if (snapshot != null && snapshotSeq == _seq)
        {
            try
            {
                _host = ModuleHost.LoadSnapshot(snapshot, layout.BlockFrames, options.AllowFaultModules);
            }
            catch (DspException e)
            {
                _region.Dispose();
                throw new SnapshotRejectedException($"the snapshot for block {snapshotSeq} cannot be loaded: {e.Message}", e);
            }
            StartedFromSnapshot = true;
        }
        else
        {
            _host = HostFactory.Build(PatchFile.Load(options.PatchPath), layout.SampleRate, layout.Channels, layout.BlockFrames,
                                      allowFaultModules: options.AllowFaultModules);
        }
        _host.SafetyClipperEnabled = options.SafetyClipper; // a snapshot does not carry it
        _probe = new RegionChainProbe(_link);
        _host.Probe = _probe; // the live host only: WarmUp's scratch copy writes nothing into the region
        _link.PublishPid(Environment.ProcessId);
    }

    /// <summary>
    /// Raised once, on the render thread, the first time the worker is as far ahead as it may be: a worker that
    /// replays from an earlier block renders flat out until then, and must not do that at real-time priority.
    /// </summary>
    public event Action? CaughtUp;

    /// <summary>True when this worker was brought to a survivor's state from a snapshot.</summary>
    public bool StartedFromSnapshot { get; }

    /// <summary>Renders a few blocks on a throwaway copy of the DSP so the first real blocks do not pay for the JIT.</summary>
    public void WarmUp(int blocks = 64)
    {
        RarePathWarmUp.Run(); // a fault's paths too, whatever the chain: every replica takes them at the same block
        var warm = new InvalidOperationException("warm-up");
        _errands.Post(() => _ = ThrewLine("warm", 0, warm)); // and the errand a fault's report is (nothing written)
        if (!_host.CanSnapshot)
        {
            return; // no copy of a plugin can be made; its first blocks compile as they run
        }
        // The in-place snapshot and the one-pass copy+hash are what the render loop calls: JIT them here too.
        ModuleHost scratch = ModuleHost.LoadSnapshot(_host.SaveSnapshotInPlace(), _region.Layout.BlockFrames, _host.AllowFaultModules);
        scratch.SafetyClipperEnabled = _host.SafetyClipperEnabled;
        float[] published = new float[_block.Length];
        int frames = _region.Layout.BlockFrames;
        for (int i = 0; i < blocks; i++)
        {
            // Notes too, mid-block: the first note a player sends must not be the first time a voice, an envelope or a
            // split block is compiled (measured: both replicas compiled them in the same block, an underrun at 64 frames).
            // They go through the translation of command records, as the ring's do: its first use in the render loop
            // (the session's first command) otherwise compiled it in both replicas at once.
            WarmUpCommand(scratch, CommandRecord.Create((int)CommandKind.NoteOn, _seq, i % frames, value: 48 + (i % 24), value2: 0.5f), i % frames);
            WarmUpCommand(scratch, CommandRecord.Create((int)CommandKind.NoteOff, _seq, (i * 7) % frames, value: 48 + ((i + 12) % 24)), (i * 7) % frames);
            if (i == blocks - 1)
            {
                WarmUpCommand(scratch, CommandRecord.Create((int)CommandKind.AllNotesOff, _seq, 0), 0);
            }
            scratch.ProcessChain(_block);
            BlockHash.CopyAndCompute(_block, published);
        }
        Array.Clear(_block);
    }

    private static void WarmUpCommand(ModuleHost scratch, CommandRecord r, int frame)
    {
        if (CommandTranslator.TryTranslate(in r, frame, out DspCommand c))
        {
            scratch.QueueCommand(in c);
        }
    }

    /// <summary>Runs until the supervisor goes away. Returns the exit code.</summary>
    public int Run()
    {
        while (true)
        {
            if (!SupervisorAlive())
            {
                return WorkerExitCode.SupervisorGone;
            }
            if (_commands.Corrupt)
            {
                return WorkerExitCode.CommandRingCorrupt; // let the supervisor replace this worker
            }
            if (_inputLost)
            {
                return WorkerExitCode.InputLost; // a whole input ring behind, and no record on disk to read it from
            }
            if (!TryStep())
            {
                if (!_caughtUp)
                {
                    _caughtUp = true;
                    CaughtUp?.Invoke();
                }
                Idle();
            }
        }
    }

    /// <summary>The next block this worker will render.</summary>
    public long NextSeq => _seq;

    /// <summary>
    /// Renders and publishes the next block if the render limit and the ring allow it; false if it must wait.
    /// Worker thread only; allocation-free in steady state.
    /// </summary>
    public bool TryStep()
    {
        if (!HasWork())
        {
            return false;
        }
        RenderOne();
        return true;
    }

    /// <summary>
    /// The next block is below the limit (its commands are all here, the output is close enough), its ring slot is
    /// free, and its live input has been captured (or is lost for good: then RenderOne finds out and stops).
    /// </summary>
    private bool HasWork() =>
        _seq < _link.EffectiveLimit && _ring.CanWrite(_seq) && (_input == null || _input.Peek(_seq) != InputRead.NotYet);

    private void RenderOne()
    {
        if (_input != null && !TakeInput())
        {
            return;
        }
        _link.BeginBlock(_seq);
        int due = TakeDueCommands();
        _dueCount = due;
        for (int i = 0; i < due; i++)
        {
            if (_due[i].Kind == (int)CommandKind.Snapshot && !_host.CanSnapshot)
            {
                _link.RefuseSnapshot(_seq); // a plugin's state is its own: the supervisor replays a new worker instead
            }
            else if (_due[i].Kind == (int)CommandKind.Snapshot)
            {
                ReadOnlySpan<byte> snapshot = _host.SaveSnapshotInPlace(); // no allocation in the render loop
                _link.TryPublishSnapshot(_seq, _faults == null ? snapshot : _faults.Snapshot(snapshot));
            }
        }
        for (int i = 0; i < due; i++)
        {
            Apply(in _due[i]);
        }
        _probe.Block = _seq;
        _host.ProcessChain(_block);
        if (_host.QuarantinedInLastBlock.Length > 0)
        {
            ReportQuarantines();
        }
        _faults?.AfterRender(_block);
        _ring.TryWrite(_seq, _block);
        _link.Beat(_host.ClippedBlocks);
        _seq++;
        LookAhead();
    }

    /// <summary>
    /// Hands the DSP block <see cref="_seq"/>'s live input, the one the callback stamped with that number: both
    /// replicas render block N from input N, whenever they render it. False when it is lost (overwritten).
    /// </summary>
    private bool TakeInput()
    {
        // A replay from further back than the ring holds reads the older blocks from the session's record on disk.
        InputRead read = _input!.TryRead(_seq, _inputBlock);
        if (read != InputRead.Ready && !(read == InputRead.Lost && _record != null && _record.TryRead(_seq, _inputBlock)))
        {
            _inputLost = true;
            return false;
        }
        _host.Input.Set(_inputBlock);
        return true;
    }

    /// <summary>
    /// Looks at the commands already in the ring for later blocks: a plugin module to be added is built now on a
    /// pool thread (<see cref="ModuleHost.Prebuild"/>, handed over by the errand thread), so its command only adopts it when its block comes. Without
    /// it, both replicas instantiated the plugin inside the same block (measured: 20-35 ms, an underrun at a
    /// 16 ms lead). Allocation-free unless a plugin is coming.
    /// </summary>
    private void LookAhead()
    {
        _lookedAhead = Math.Max(_lookedAhead, _commands.ReadPosition);
        while (_commands.TryPeekAt(_lookedAhead, out CommandRecord r))
        {
            _lookedAhead++;
            if (r.Kind == (int)CommandKind.AddModule && NamesPlugin(in r) && r.NameString is { } type && r.IdString is { } id)
            {
                ModuleHost host = _host;
                // From the errand thread onto the pool: plugins added together build side by side, and any thread the
                // pool creates for them is created there, at ordinary priority, never by the render thread.
                _errands.Post(() => Task.Run(() => host.Prebuild(type, id)));
            }
        }
    }

    /// <summary>True when the record's name starts "lv2:" or "lv2#": a plugin, checked on the bytes (no string made per record).</summary>
    private static bool NamesPlugin(in CommandRecord r)
    {
        if (r.NameLength is < 4 or > CommandRecord.MaxNameBytes)
        {
            return false;
        }
        ReadOnlySpan<byte> name = r.Name;
        return name.StartsWith("lv2"u8) && name[3] is (byte)':' or (byte)'#';
    }

    /// <summary>
    /// Tells the supervisor which modules this block quarantined (a NaN or an exception at a module's boundary):
    /// the worker does not swallow a module's failure, it bypasses the module and says so. The exception's message is
    /// formatted and goes to stderr (the play log) on the errand thread: a write to a full pipe, or a thread the pool
    /// would create, must never hold up a block.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private void ReportQuarantines()
    {
        foreach (QuarantineReport q in _host.QuarantinedInLastBlock)
        {
            _link.ReportQuarantine(_seq, q.Frame, (int)q.Reason, q.ModuleIdUtf8.Span);
            if (q.Reason == QuarantineReason.Exception && _host.LastQuarantineError is { } e)
            {
                string module = q.ModuleId;
                long seq = _seq;
                _errands.Post(() => Console.Error.WriteLine(ThrewLine(module, seq, e)));
            }
        }
    }

    /// <summary>The play log's line for a module that threw.</summary>
    internal static string ThrewLine(string module, long seq, Exception e) =>
        $"worker {Environment.ProcessId}: module \"{module}\" threw at block {seq}: {e.GetType().Name}: {e.Message}";

    /// <summary>Copies out every command stamped at or before the current block (a snapshot needs them all in hand first).</summary>
    private int TakeDueCommands()
    {
        int n = 0;
        while (n < _due.Length && _commands.TryPeek(out CommandRecord r) && r.ApplyBlock <= _seq)
        {
            _due[n++] = r;
            _commands.Advance();
        }
        return n;
    }

    private void Apply(in CommandRecord r)
    {
        switch ((CommandKind)r.Kind)
        {
            case CommandKind.Snapshot:
                break;
            case var _ when WorkerFaultInjection.IsFault(r.Kind):
                _faults?.Apply(in r); // a worker without fault injection ignores them (the engine sends it none)
                break;
            case CommandKind.Quarantine:
                // Decided by the supervisor for this block (every worker failed in the module here): bypassed from the
                // block's first frame, before the module could run into the same fault again — unless the supervisor
                // voided it in the same drain (a deadline switch made ahead of need, not needed after all).
                if (!IsCancelled(in r) && CommandTranslator.TryTranslate(in r, 0, out DspCommand q))
                {
                    _host.QueueCommand(in q);
                }
                break;
            case CommandKind.CancelQuarantine:
                break; // read by IsCancelled
            default:
                // A command stamped for an earlier block (a late one, or one replayed to a catching-up worker that
                // started after it) applies at the top of this block.
                int frame = r.ApplyBlock < _seq ? 0 : Math.Clamp(r.FrameOffset, 0, _region.Layout.BlockFrames - 1);
                if (CommandTranslator.TryTranslate(in r, frame, out DspCommand c))
                {
                    _host.QueueCommand(in c);
                }
                break;
        }
    }

    /// <summary>True when a later record of this block's drain voids the quarantine <paramref name="q"/> (same block, same module).</summary>
    private bool IsCancelled(in CommandRecord q)
    {
        for (int i = 0; i < _dueCount; i++)
        {
            ref readonly CommandRecord c = ref _due[i];
            if (c.Kind == (int)CommandKind.CancelQuarantine && c.ApplyBlock == q.ApplyBlock && c.IdLength == q.IdLength
                && q.IdLength is >= 0 and <= CommandRecord.MaxIdBytes
                && ((ReadOnlySpan<byte>)c.Id)[..c.IdLength].SequenceEqual(((ReadOnlySpan<byte>)q.Id)[..q.IdLength]))
            {
                return true;
            }
        }
        return false;
    }

    private void Idle()
    {
        switch (_wait)
        {
            case WaitStrategy.Doorbell:
                int armed = _doorbell.Arm();
                if (!HasWork()) // once more after arming: a ring before it is seen here, one after it wakes the futex
                {
                    _doorbell.Wait(armed, DoorbellTimeoutNanos);
                }
                _doorbell.Disarm();
                break;
            case WaitStrategy.Spin:
                Thread.SpinWait(20);
                break;
            case WaitStrategy.Yield:
                Thread.Yield();
                break;
            default:
                Thread.Sleep(1);
                break;
        }
    }

    private bool SupervisorAlive()
    {
        long now = Stopwatch.GetTimestamp();
        if (now < _nextLivenessCheck)
        {
            return true;
        }
        _nextLivenessCheck = now + LivenessPeriod;
        return LibC.ParentProcessId() == _parentPid && LibC.ProcessExists((int)_link.SupervisorPid);
    }

    public void Dispose()
    {
        _errands.Dispose();
        _record?.Dispose();
        _region.Dispose();
    }

    /// <summary>Why the input of a block could not be had (the ring lost it, and the record had not got it), or null.</summary>
    public string? InputLostReason => !_inputLost ? null : _record?.Error ?? $"the input of block {_seq} is no longer in the input ring and the session has no record of it";

    /// <summary>Blocks of input read from the session's record on disk.</summary>
    public long RecordBlocksRead => _record?.BlocksRead ?? 0;
}
