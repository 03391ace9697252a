using System.Diagnostics;
using Perpetuo.Supervisor.Callback;
using Perpetuo.Transport;

namespace Perpetuo.Supervisor.Control;

/// <summary>
/// The supervisor: owns the two slot regions and the patch (memory files, for its whole life), the worker
/// processes, the command log, and the control thread that watches over them. The audio callback is <see cref="Reader"/>.
/// </summary>
/// <remarks>
/// Design: one control thread does all deciding — spawning, hang and exit detection, kills, snapshots and
/// resyncs, command stamping and feeding, render limits, control-port polling — so none of it needs a lock. It
/// talks to the audio callback only through <see cref="SlotChannel"/> modes (down) and the
/// <see cref="EventQueue"/> and counters (up). The callback never waits for it: if the control thread stalls, the
/// workers run out of render limit and the callback plays faded silence, but nothing blocks. Nothing lives in a
/// directory: the regions and the patch a cold-started worker reads are sealed memfds it opens through
/// /proc/PID/fd (<see cref="MemoryFile"/>), so no tmpfs cleaner, full /dev/shm or other user can take them away,
/// and all their memory is committed here, before playing.
/// </remarks>
public sealed partial class Engine : IDisposable
{
    private readonly EngineOptions _options;
    private readonly MemoryFile _patch;
    private readonly SlotController[] _slots;
    private readonly EventQueue _callbackEvents = new(); // the callback's events to this thread (Events is the log they become)
    private readonly CommandLog _log;
    private readonly CommandSpill? _spill;
    private bool _spillProblemSaid;
    private readonly CommandScheduler _scheduler;
    private readonly long _hangTicks;
    private readonly int _slowMissLimit;
    private readonly int _fenceSlack;
    private readonly string _patchPath;
    private int _gcAtStart;
    private long _allocatedAtStart;
    private readonly InputTape? _inputTape;
    private readonly WarmSpare? _spare;
    private readonly CallbackEventLines _callbackLines;
    private readonly int _inputHistoryBlocks;
    private Thread? _thread;
    private volatile bool _stop;
    private bool _primed;
    private readonly DivergenceDispute _dispute = new();
    private readonly CheckpointKeeper _checkpoints;
    private readonly ModuleQuarantine _quarantine;
    private readonly TrailingReplica _trailing;

    public Engine(EngineOptions options, EventLog events)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        Events = events;
        string spillWhy = "no directory given";
        _spill = options.CommandSpillDirectory != null
            ? CommandSpill.TryCreate(options.CommandSpillDirectory, Perpetuo.Protocol.Limits.CommandSpillRecords, out spillWhy) : null;
        if (_spill == null)
        {
            // Said at start: a plugin session will keep its commands in memory, and collect garbage as it grows.
            events.Write("command_spill_unavailable", 0, -1, ("why", spillWhy));
        }
        _log = new CommandLog(options.CommandLogWindow, _spill);
        _scheduler = new CommandScheduler(_log);
        var layout = new RegionLayout(options.BlockFrames, options.Channels, options.SampleRate, options.RingCapacity,
                                      liveInput: options.LiveInput, inputHistoryBlocks: options.InputHistoryBlocks);
        _slots = new SlotController[options.Slots];
        _patch = MemoryFile.CreateReadOnly("the patch", System.Text.Encoding.UTF8.GetBytes(options.PatchJson));
        try
        {
            for (int i = 0; i < _slots.Length; i++)
            {
                _slots[i] = new SlotController(i, SharedRegion.Create(layout, i), options.RestartPolicy(), options.RingDepth);
            }
        }
        catch
        {
            // Not enough memory for every region: give back what was reserved before the caller reports it.
            foreach (SlotController? s in _slots)
            {
                s?.Dispose();
            }
            _patch.Dispose();
            throw;
        }
        _patchPath = _patch.Path;
        InputFanOut? input = null;
        if (layout.HasInput)
        {
            _inputTape = new InputTape(layout);
            input = new InputFanOut([.. _slots.Select(s => new InputRingWriter(s.Region)), new InputRingWriter(_inputTape)], options.RingDepth);
            input.StampSilence(layout.BlockSamples);
        }
        _inputHistoryBlocks = layout.InputCapacity;
        Reader = new BlockReader(_slots.Select(s => s.Channel).ToArray(), options.Channels, options.BlockFrames, _callbackEvents, input: input);
        double blockSeconds = (double)options.BlockFrames / options.SampleRate;
        // Thresholds right at every block size: in blocks, and never shorter than a time (WorkerHealth).
        _hangTicks = WorkerHealth.HangTicks(options.HangTimeoutBlocks, blockSeconds);
        _slowMissLimit = WorkerHealth.SlowMissLimit(options.SlowMissLimit, blockSeconds);
        _fenceSlack = RenderFence.SlackBlocks(blockSeconds);
        _checkpoints = new CheckpointKeeper(CheckpointBlocks(options, _inputHistoryBlocks), options.VerifyBlocks, _slots, _scheduler,
                                            Reader, _dispute, events);
        _quarantine = new ModuleQuarantine(_slots, _log, options.BlockFrames, Reader, events, Kill);
        _trailing = new TrailingReplica(_slots, _log, Reader, _quarantine, events, Kill, RestoreModule,
                                        armedFrom: (long)Math.Ceiling(TrailingReplica.ArmedAfter.TotalSeconds * options.SampleRate / options.BlockFrames),
                                        guardBlocks: TrailingReplica.GuardBlocks((double)options.BlockFrames / options.SampleRate, options.RingDepth));
        _callbackLines = new CallbackEventLines(events, CallbackEventLines.FloodInterval);
        if (options.SpareWorker)
        {
            // Below the pair while it compiles (0.66 s of a core): at the lowest priority when privileged, since a
            // worker raises its own once attached; otherwise at a respawn's niceness, because an unprivileged process
            // can never come back up from 19.
            int nice = Environment.IsPrivilegedProcess ? 19 : options.RespawnNice;
            _spare = new WarmSpare(() => options.Launch.StartSpare(nice),
                                   settleBlocks: options.SampleRate / options.BlockFrames);
        }
        _gcAtStart = GC.CollectionCount(0); // every collection counts gen0, whatever generation it reached
        _allocatedAtStart = GC.GetTotalAllocatedBytes();
    }

    /// <summary>The audio callback: give it to the output.</summary>
    public BlockReader Reader { get; }

    /// <summary>The event stream.</summary>
    public EventLog Events { get; }

    /// <summary>Something the control thread polls each tick (the OSC server).</summary>
    public IControlEndpoint? Endpoint { get; set; }

    /// <summary>
    /// Spawns a worker into every slot and waits until each ring holds the first blocks, so block 0 is the first
    /// block heard. Throws if no worker gets ready within <paramref name="timeout"/>.
    /// </summary>
    public void StartWorkers(TimeSpan timeout)
    {
        BeginStart();
        // While the workers start (hundreds of milliseconds):
        // Nothing cold on the audio thread: compile the callback's whole path now, not in its first real callbacks.
        Perpetuo.Audio.CallbackWarmUp.Prepare([typeof(BlockReader), typeof(SlotChannel), typeof(Declicker), typeof(Levels),
                                               typeof(EventQueue), typeof(SpscRing<EngineEvent>), typeof(CallbackTimings),
                                               typeof(InputFanOut), typeof(MidiQueue), typeof(SpscRing<Perpetuo.Audio.MidiMessage>),
                                               .. AudioRingReader.CallbackTypes]);
        // And the control thread's rarely taken paths (an exit, a kill, a respawn, a checkpoint, a refusal): without
        // tiered compilation (see Perpetuo.Cli.csproj) each is compiled fully optimised on first use, which stalled
        // the first failover's tick by ~30 ms — long enough to starve the workers of render limit.
        Perpetuo.Audio.CallbackWarmUp.Prepare(typeof(Engine), typeof(SlotController), typeof(CommandScheduler), typeof(CommandLog),
                                              typeof(CheckpointBook), typeof(CheckpointKeeper), typeof(EventLog), typeof(EventCoalescer), typeof(CallbackEventLines), typeof(JournalWriter),
                                              typeof(RestartPolicy), typeof(SupervisorLink), typeof(CommandRingWriter),
                                              typeof(Checkpoint), typeof(EngineStatus), typeof(SlotStatus), typeof(WorkerHealth),
                                              typeof(CulpritTracker), typeof(QuarantineBook), typeof(ModuleQuarantine), typeof(DivergenceDispute), typeof(SnapshotRequest), typeof(MidiIntake), typeof(InputRecorder), typeof(SessionJournal), typeof(WarmSpare),
                                              typeof(OsWorkerProcess), typeof(WorkerLaunch), typeof(TrailingReplica), typeof(TrailerPlan),
                                              typeof(Perpetuo.Control.Midi.MidiTranslator), typeof(Perpetuo.Control.Midi.MidiMap),
                                              typeof(Perpetuo.Control.Midi.MidiTarget));
        CommandScheduler.WarmUp(_options.BlockFrames);
        ModuleQuarantine.WarmUp();
        var sw = Stopwatch.StartNew();
        while (!TryFinishStart(Stopwatch.GetTimestamp(), late: sw.Elapsed > timeout))
        {
            Thread.Sleep(1);
        }
        // JIT the status path now: its first use (an OSC /perpetuo/status) would otherwise stall a control tick by
        // ~10 ms right after the output starts, long enough to starve the workers at a small ring depth.
        _ = Status().ToJson();
        // The start-up's garbage (the warm-ups, the plugin list, the workers' launches) goes now, before anything plays,
        // and the counts start here: "0 GCs" is about playing. Without this collection a session began with gen0 part
        // full, and the few kilobytes an hour of play allocates (a kill's respawn, a status reply) tipped it over once
        // in an hour-long show (bench/long-show.py: 1 GC with 1.2 MB allocated in the hour).
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        _gcAtStart = GC.CollectionCount(0);
        _allocatedAtStart = GC.GetTotalAllocatedBytes();
    }

    /// <summary>Spawns a worker into every slot, from the patch at block 0. Then <see cref="TryFinishStart"/>, tick by tick.</summary>
    internal void BeginStart()
    {
        foreach (SlotController s in _slots)
        {
            ColdStart(s, initial: true, now: 0);
        }
    }

    /// <summary>
    /// One tick of the start at <paramref name="now"/>: true once every slot's ring holds the first blocks (or, when
    /// <paramref name="late"/>, once any does: the others are supervised as usual), so block 0 is the first block
    /// heard; every started slot is then readable. Throws when it is late and no worker is ready.
    /// </summary>
    internal bool TryFinishStart(long now, bool late)
    {
        Tick(now);
        if (!_slots.All(s => s.Phase == SlotPhase.Running && s.Link.WritePosition >= _options.RingDepth))
        {
            if (!late)
            {
                return false;
            }
            if (!_slots.Any(s => s.Link.WritePosition >= _options.RingDepth))
            {
                throw new InvalidOperationException("no worker became ready in time");
            }
        }
        foreach (SlotController s in _slots.Where(s => s.Phase == SlotPhase.Running))
        {
            s.Channel.Mode = SlotMode.Readable; // all started from the same patch at block 0: in lockstep by construction
        }
        _primed = true;
        return true;
    }

    /// <summary>Starts the control thread.</summary>
    public void StartControlThread()
    {
        _thread = new Thread(ControlLoop) { Name = "perpetuo-control", IsBackground = true, Priority = ThreadPriority.AboveNormal };
        _thread.Start();
    }

    /// <summary>Stops the control thread and every worker; releases the regions and the patch. Never throws for them.</summary>
    public void Dispose()
    {
        _stop = true;
        _thread?.Join();
        _callbackLines.FlushAll(); // the control thread is gone: this thread may write the last summaries
        _journal?.Stop(); // the input file's last blocks; the control thread is gone, so this thread reports a loss
        _spare?.Kill();
        foreach (SlotController s in _slots)
        {
            KillQuietly(s);
            s.Dispose();
        }
        _patch.Dispose();
        _spill?.Dispose();
    }

    private void ControlLoop()
    {
        // The render limits the workers wait for, and every verdict on them, come from this thread: when privileged it
        // runs SCHED_FIFO above the workers and below every audio thread (RealtimeThread.Control), so neither ordinary
        // load nor a worker spinning at its real-time priority can starve it.
        if (_options.Realtime)
        {
            Perpetuo.Audio.RealtimeThread.TryPromoteCurrent(Perpetuo.Audio.RealtimeThread.Control);
        }
        long slow = Stopwatch.Frequency / 200;
        while (!_stop)
        {
            long t0 = Stopwatch.GetTimestamp();
            Tick(t0);
            long took = Stopwatch.GetTimestamp() - t0;
            if (took > slow)
            {
                Events.Write("slow_tick", Reader.NextSeq, -1, ("ms", took * 1000.0 / Stopwatch.Frequency));
            }
            Thread.Sleep(1);
        }
    }

    /// <summary>One round of supervision at <paramref name="now"/> (Stopwatch ticks). Control thread only.</summary>
    internal void Tick(long now)
    {
        long played = Reader.NextSeq; // before the drain: every event below it is handled this tick
        DrainCallbackEvents(now);
        _callbackLines.Flush(now);
        ActOnDivergences();
        foreach (SlotController s in _slots)
        {
            ActOnCallbackCounters(s);
            _quarantine.ReadReports(s);
            s.LimiterBlocks.Observe(s.Link.ClippedBlocks);
            Supervise(s, now);
        }
        if (_primed)
        {
            _trailing.Tick(now); // after every death and verdict of this tick: a quarantine is in the log before the trailer is released
        }
        if (_primed)
        {
            _checkpoints.Maintain(now, played);
            _spare?.Replenish(PairWhole(), played);
        }
        FeedAndLimit();
        Endpoint?.Poll(this);
        Midi?.Drain(Reader.Midi, _submitMidi!);
        _journal?.Flush(); // the tick's accepted commands in one write, and a loss of the input file reported
    }

    /// <summary>
    /// Blocks between checkpoints (0: none): the option's interval, and with a live input at most a quarter of the
    /// input the regions keep, so a worker cold-started from the older checkpoint (two intervals and a verification
    /// back) still finds every input block since it.
    /// </summary>
    private static long CheckpointBlocks(EngineOptions options, int inputHistoryBlocks)
    {
        if (options.CheckpointSeconds <= 0)
        {
            return 0;
        }
        long blocks = (long)Math.Ceiling(options.CheckpointSeconds * options.SampleRate / options.BlockFrames);
        return inputHistoryBlocks > 0 ? Math.Min(blocks, inputHistoryBlocks / 4) : blocks;
    }

    /// <summary>Every slot has a worker whose blocks may be heard: no start or recovery under way.</summary>
    private bool PairWhole()
    {
        foreach (SlotController s in _slots)
        {
            if (!s.HasWorker || s.Channel.Mode != SlotMode.Readable)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// The callback's per-slot fault and mismatch counters, not its events, decide: the event queue drops what it
    /// cannot hold (after a control-thread stall, say), and a slot latched off by a dropped "faulty" event would
    /// otherwise be counted as a standby for the rest of the session. Acting twice is harmless (a slot being killed
    /// is not killed again).
    /// </summary>
    private void ActOnCallbackCounters(SlotController s)
    {
        long faults = s.Channel.Faults;
        if (faults != s.FaultsSeen)
        {
            s.FaultsSeen = faults;
            OnFaulty(s, Reader.NextSeq);
        }
    }

    /// <summary>
    /// The slots whose blocks differed from the ones played since the last tick, decided together: with a third
    /// replica the majority tells who is wrong at once (<see cref="OnDivergence"/>).
    /// </summary>
    private void ActOnDivergences()
    {
        int changed = 0;
        foreach (SlotController s in _slots)
        {
            long mismatches = s.Channel.Mismatches;
            s.MismatchedThisTick = mismatches != s.MismatchesSeen;
            s.MismatchesSeen = mismatches;
            changed += s.MismatchedThisTick ? 1 : 0;
        }
        if (changed == 0)
        {
            return;
        }
        foreach (SlotController s in _slots)
        {
            if (s.MismatchedThisTick)
            {
                OnDivergence(s);
            }
        }
    }

    private void DrainCallbackEvents(long now)
    {
        while (_callbackEvents.TryTake(out EngineEvent e))
        {
            switch (e.Kind)
            {
                case EngineEventKind.Failover:
                    _callbackLines.Failover(e.Seq, e.Slot, e.OtherSlot, now);
                    break;
                case EngineEventKind.Underrun:
                    _callbackLines.Underrun(e.Seq, now);
                    break;
                case EngineEventKind.Divergence:
                    _callbackLines.Divergence(e.Seq, e.Slot, e.OtherSlot, now);
                    break; // acted on through the slot's mismatch counter (ActOnCallbackCounters), once
                case EngineEventKind.Faulty:
                    break; // acted on through the slot's fault counter, which no full queue can lose
            }
        }
    }
}
