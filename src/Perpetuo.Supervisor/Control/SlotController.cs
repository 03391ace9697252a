using System.Diagnostics;
using Perpetuo.Supervisor.Callback;
using Perpetuo.Transport;

namespace Perpetuo.Supervisor.Control;

/// <summary>
/// One slot as the control thread sees it: its region, ring ends and callback channel (all for the life of the
/// engine), the worker process attached to it now, and its life-cycle bookkeeping.
/// </summary>
/// <remarks>
/// The life cycle is this type's transitions, not fields anyone sets: Dead → (Backoff →) (AwaitSnapshot →) Spawning
/// (<see cref="Launch"/>) → Running (<see cref="Attach"/>, heard only once verified) → Dying (<see cref="BeginDying"/>,
/// off for the callback at once) → Dead (<see cref="Detach"/>). Invariants <c>SlotControllerTests</c> checks: a
/// worker attaches only to a starting slot, as a new generation that is verified before it is heard; a slot being
/// killed or dead is off for the callback; a dead slot holds no process. Control thread only, except
/// <see cref="Channel"/>, which it shares with the audio callback.
/// </remarks>
internal sealed class SlotController : IDisposable
{
    public SlotController(int index, SharedRegion region, RestartPolicy policy, int renderLead)
    {
        Index = index;
        RenderLead = renderLead;
        Region = region;
        Link = new SupervisorLink(region);
        Commands = new CommandRingWriter(region);
        Channel = new SlotChannel(index, new AudioRingReader(region));
        Policy = policy;
    }

    public int Index { get; }

    /// <summary>Blocks a worker may render past the output (the ring depth): written into the region before each worker.</summary>
    public int RenderLead { get; }
    public SharedRegion Region { get; }
    public SupervisorLink Link { get; }
    public CommandRingWriter Commands { get; }
    public SlotChannel Channel { get; }
    public RestartPolicy Policy { get; }

    public SlotPhase Phase { get; private set; } = SlotPhase.Dead;
    public IWorkerProcess? Worker { get; private set; }

    /// <summary>The process being started by the launcher (phase Spawning).</summary>
    public Task<IWorkerProcess>? Launching { get; private set; }

    /// <summary>Block the worker being started will render first.</summary>
    public long PendingStartSeq { get; private set; }

    /// <summary>Why the worker is being killed (phase Dying).</summary>
    public KillReason DyingReason { get; private set; }
    public int Pid { get; private set; }

    /// <summary>Workers attached since the engine started (the first start counts).</summary>
    public long Restarts { get; private set; }
    public bool FaultySinceSpawn { get; set; }

    /// <summary>Index of the next command-log entry to send to this slot's ring.</summary>
    public long Cursor { get; set; }

    /// <summary>The survivor's snapshot this slot's next worker starts from (phase AwaitSnapshot).</summary>
    public SnapshotRequest Resync { get; private set; }

    /// <summary>The slot whose worker's state this slot's next (or attached) worker starts from, or -1 (a cold start).</summary>
    public int SurvivorIndex { get; set; }
    public int SnapshotBytes { get; set; }

    /// <summary>The survivor's snapshot the attached worker was resynced from, until the worker is verified (then a checkpoint proposal).</summary>
    public (long Seq, byte[] Snapshot)? ResyncSnapshot { get; set; }

    /// <summary>The checkpoint the attached worker was cold-started from, if any.</summary>
    public Checkpoint? StartedFrom { get; set; }
    public long BackoffUntil { get; private set; }

    /// <summary>Output position when the slot was switched off (the restart waits until the callback moved on).</summary>
    public long OffAtSeq { get; private set; }

    /// <summary>The attached worker's progress and the verdict on it.</summary>
    public WorkerHealth Health { get; } = new();

    /// <summary>Pid of the worker killed for diverging from this slot (for the resolution event).</summary>
    public int DivergedPid { get; set; }

    /// <summary>The channel's fault and mismatch counts the control thread has acted on.</summary>
    public long FaultsSeen { get; set; }
    public long MismatchesSeen { get; set; }

    /// <summary>The channel counted a mismatch since the previous tick (set by the tick's first look).</summary>
    public bool MismatchedThisTick { get; set; }

    /// <summary>Block of the last fault injected into this slot's ring (one per block at most).</summary>
    public long LastFaultBlock { get; set; } = -1;

    /// <summary>Quarantine reports of this slot's workers already read (the region's count is never reset).</summary>
    public long QuarantineReportsSeen { get; set; }

    /// <summary>The last worker's death was a deterministic fault, answered by a quarantine: its restart is not
    /// charged to the restart intensity (a fault repeated after each lift must never back the slot off).</summary>
    public bool FailureExplained { get; set; }

    /// <summary>The worker being started is a warm spare given this slot (not a process started for it).</summary>
    public bool FromSpare { get; private set; }

    /// <summary>Render limit last published to this slot.</summary>
    public long Limit { get; set; }

    /// <summary>Blocks the output safety stage clipped over the session, in this slot's workers (status <c>limiter_blocks</c>).</summary>
    public SessionCounter LimiterBlocks { get; } = new();

    /// <summary>
    /// Readies the region for a new worker starting at <paramref name="startSeq"/> (see
    /// <see cref="SupervisorLink.ResetForNewWorker"/>), first banking the old worker's counts, which the reset zeroes.
    /// Only while no worker process is alive on this slot.
    /// </summary>
    public void ResetForNewWorker(long startSeq)
    {
        LimiterBlocks.Observe(Link.ClippedBlocks); // its last blocks, published after the last tick's look
        LimiterBlocks.WorkerReplaced();
        Link.ResetForNewWorker(startSeq, RenderLead);
    }

    /// <summary>The restart waits <paramref name="until"/> (Stopwatch time): the restart policy's backoff.</summary>
    public void BackOff(long until)
    {
        Phase = SlotPhase.Backoff;
        BackoffUntil = until;
    }

    /// <summary>The next worker starts from <paramref name="survivor"/>'s state, once <paramref name="asked"/> is answered.</summary>
    public void AwaitResync(SnapshotRequest asked, int survivor)
    {
        Phase = SlotPhase.AwaitSnapshot;
        Resync = asked;
        SurvivorIndex = survivor;
    }

    /// <summary>The restart could not go on now (a busy ring, no answer): it begins again on a later tick.</summary>
    public void RetryRestart()
    {
        Phase = SlotPhase.Dead;
        Retrying = true;
    }

    /// <summary>
    /// The restart was put off (the survivor's command ring busy, a snapshot that did not come): the next attempt is
    /// the same restart, not another failure, and is not charged to the restart intensity (under a command flood a
    /// restart was put off a few times a second, and a slot backed off for 16 s without one worker started).
    /// </summary>
    public bool Retrying { get; set; }

    /// <summary>A worker that renders from <paramref name="startSeq"/> on is being started by <paramref name="launching"/>.</summary>
    public void Launch(long startSeq, Task<IWorkerProcess> launching, bool fromSpare)
    {
        ArgumentNullException.ThrowIfNull(launching);
        PendingStartSeq = startSeq;
        FromSpare = fromSpare;
        Launching = launching;
        Phase = SlotPhase.Spawning;
    }

    /// <summary>
    /// The started worker is this slot's: a new generation, from its start block on, compared block by block with
    /// what is played before it may be heard (verify-only).
    /// </summary>
    public void Attach(IWorkerProcess worker, long now)
    {
        ArgumentNullException.ThrowIfNull(worker);
        if (Phase != SlotPhase.Spawning)
        {
            throw new InvalidOperationException($"slot {Index}: a worker attaches only to a starting slot, not one that is {Phase}");
        }
        Launching = null;
        Worker = worker;
        Pid = worker.Pid;
        Health.Attached(now, Channel.Misses);
        FaultySinceSpawn = false;
        Restarts++;
        Phase = SlotPhase.Running;
        Channel.FirstSeq = PendingStartSeq;
        Channel.NextGeneration();
        Channel.Mode = SlotMode.VerifyOnly;
    }

    /// <summary>The launch failed: no process to attach.</summary>
    public void LaunchFailed() => Launching = null;

    /// <summary>Its worker is being killed (SIGKILL sent by the caller): off for the callback from now on.</summary>
    public void BeginDying(KillReason reason)
    {
        Channel.Mode = SlotMode.Off;
        Phase = SlotPhase.Dying;
        DyingReason = reason;
    }

    /// <summary>The worker is gone (or never came): off, its process released, at output position <paramref name="offAtSeq"/>.</summary>
    public void Detach(long offAtSeq)
    {
        Channel.Mode = SlotMode.Off;
        Worker?.Dispose();
        Worker = null;
        Phase = SlotPhase.Dead;
        OffAtSeq = offAtSeq;
    }

    /// <summary>
    /// At shutdown: waits up to <paramref name="timeout"/> for a launch under way and takes its process, so that it can
    /// be killed too. Never throws for a launch that failed.
    /// </summary>
    public void TakeOverLaunch(TimeSpan timeout)
    {
        if (Launching == null)
        {
            return;
        }
        try
        {
            Launching.Wait(timeout);
        }
        catch (AggregateException)
        {
            // The launch failed: there is no process to take.
        }
        Worker ??= Launching.IsCompletedSuccessfully ? Launching.Result : null;
        Pid = Worker?.Pid ?? 0;
    }

    /// <summary>True while a live worker process is attached.</summary>
    public bool HasWorker => Phase == SlotPhase.Running && Worker != null;

    /// <summary>The role shown in status (<paramref name="trailing"/>: this slot is the trailing replica).</summary>
    public SlotRole Role(int activeSlot, bool trailing = false)
    {
        return Phase switch
        {
            SlotPhase.Backoff => SlotRole.Backoff,
            SlotPhase.AwaitSnapshot => SlotRole.Resyncing,
            SlotPhase.Spawning => SlotRole.Starting,
            SlotPhase.Dying => FaultySinceSpawn ? SlotRole.Faulty : SlotRole.Dead,
            SlotPhase.Dead => FaultySinceSpawn ? SlotRole.Faulty : SlotRole.Dead,
            _ when Channel.Mode == SlotMode.Readable => activeSlot == Index ? SlotRole.Active : trailing ? SlotRole.Trailing : SlotRole.Standby,
            _ when Link.Heartbeat == 0 => SlotRole.Starting,
            _ => SlotRole.Resyncing,
        };
    }

    /// <summary>Milliseconds since the worker's last heartbeat (Stopwatch clock, shared by both processes).</summary>
    public double HeartbeatAgeMs(long now)
    {
        long ts = Link.HeartbeatTimestamp;
        return ts <= 0 || ts > now ? 0 : (now - ts) * 1000.0 / Stopwatch.Frequency;
    }

    public void Dispose()
    {
        Worker?.Dispose();
        Region.Dispose();
    }
}
