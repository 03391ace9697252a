using System.Diagnostics;
using Perpetuo.Supervisor.Callback;
using Perpetuo.Transport;
using Perpetuo.Protocol;

namespace Perpetuo.Supervisor.Control;

// The slot life cycle: spawn, watch (exit, hang, slowness), kill, and respawn by snapshot resync or cold start.
public sealed partial class Engine
{
    private void Supervise(SlotController s, long now)
    {
        switch (s.Phase)
        {
            case SlotPhase.Running:
                WatchRunning(s, now);
                break;
            case SlotPhase.Dead:
                // Once playing, wait until the callback has moved past the block the slot was switched off at; before
                // the output starts (a worker lost during start-up) there is nothing to wait for.
                if (!_primed || Reader.NextSeq >= s.OffAtSeq + 2)
                {
                    BeginRestart(s, now);
                }
                break;
            case SlotPhase.Backoff:
                if (now >= s.BackoffUntil)
                {
                    Respawn(s, now);
                }
                break;
            case SlotPhase.AwaitSnapshot:
                CompleteResync(s, now);
                break;
            case SlotPhase.Spawning:
                CompleteSpawn(s, now);
                break;
            case SlotPhase.Dying:
                if (s.Worker == null || s.Worker.HasExited)
                {
                    Events.Write("killed", Reader.NextSeq, s.Index, ("pid", s.Pid), ("reason", KillReasons.Name(s.DyingReason)));
                    Detach(s);
                }
                break;
        }
    }

    private void WatchRunning(SlotController s, long now)
    {
        if (s.Worker!.HasExited)
        {
            int code = s.Worker.ExitCode;
            Events.Write("exited", Reader.NextSeq, s.Index, ("pid", s.Pid), ("code", code));
            if (code == WorkerExitCode.SnapshotRejected)
            {
                _checkpoints.Rejected(s);
            }
            Detach(s);
            if (code == WorkerExitCode.InputLost)
            {
                // It needed input neither its region nor the session's record has: no module's fault. A worker from the
                // same start block would stop there again, in any slot, so none is started until a newer one can be
                // (InputIsGone).
                _inputLostFrom = Math.Max(_inputLostFrom, s.StartedFrom?.Seq ?? 0);
                s.FailureExplained = true;
                return;
            }
            _quarantine.OnWorkerFailed(s, QuarantineReason.Crash); // after Detach: the slot is dead when the verdict counts it
            return;
        }
        WorkerHealth h = s.Health;
        bool hasWork = s.Link.WritePosition < RenderFence.WorkerLimit(Reader.NextSeq, _options.RingDepth, s.Limit);
        // The trailer is behind by design: never judged slow for lacking a block a leader had, and given the long
        // timeout of a worker not heard.
        bool judgedAsHeard = s.Channel.Mode == SlotMode.Readable && !_trailing.Trails(s);
        switch (h.Judge(now, s.Link.Heartbeat, hasWork, s.Channel.Misses, judgedAsHeard, HasHealthyPeer(s, now), _hangTicks, _slowMissLimit))
        {
            case WorkerHealth.Verdict.Hung or WorkerHealth.Verdict.NeverStarted when s.Worker.HasEnded:
                return; // it died just now and went silent because of it: its exit is seen on a later tick (a crash, not a hang)
            case WorkerHealth.Verdict.Hung:
            case WorkerHealth.Verdict.NeverStarted:
                Events.Write("hung", Reader.NextSeq, s.Index, ("pid", s.Pid), ("silent_ms", h.SilentFor * 1000.0 / Stopwatch.Frequency));
                Kill(s, KillReason.Hung);
                _quarantine.OnWorkerFailed(s, QuarantineReason.Hang);
                return;
            case WorkerHealth.Verdict.Slow:
                Events.Write("slow", Reader.NextSeq, s.Index, ("pid", s.Pid), ("misses", h.RecentMisses));
                Kill(s, KillReason.Slow);
                return;
        }
        if (s.Channel.Mode == SlotMode.VerifyOnly)
        {
            TryPromote(s);
        }
    }

    /// <summary>Another slot can play and is making progress now.</summary>
    private bool HasHealthyPeer(SlotController s, long now) => ReadablePeer(s, progressSince: now - (_hangTicks / 2 + 1)) != null;

    private void TryPromote(SlotController s)
    {
        if (s.Channel.MatchStreak >= _options.VerifyBlocks)
        {
            s.Channel.Mode = SlotMode.Readable;
            Events.Write("resynced", Reader.NextSeq, s.Index, ("pid", s.Pid), ("verified_blocks", s.Channel.MatchStreak));
            if (s.ResyncSnapshot is { } copied)
            {
                _checkpoints.Propose(copied.Seq, copied.Snapshot, s); // it reproduced the survivor's state: a checkpoint once confirmed
                s.ResyncSnapshot = null;
            }
            if (_dispute.IsReferee(s.Index))
            {
                Events.Write("divergence_resolved", Reader.NextSeq, s.Index, ("wrong_pid", s.DivergedPid),
                             ("evidence", "a replay from the newest checkpoint agrees with the active worker"));
                _dispute.Settle();
            }
        }
        else if (_primed && ReadablePeer(s) == null && s.Link.WritePosition > Reader.NextSeq)
        {
            // Nobody to verify against (both workers were lost): a worker replayed from block 0 is the reference.
            s.Channel.Mode = SlotMode.Readable;
            Events.Write("recovered", Reader.NextSeq, s.Index, ("pid", s.Pid));
            _dispute.Settle(); // a disputed active that died is no longer in question
        }
    }

    /// <summary>
    /// A readable peer to copy a state from: a leader, never the trailer (its ring must hold no command past its limit,
    /// and a snapshot request is stamped past it; it is also behind). Null when only the trailer is left: then the
    /// restart waits (the trailer is released to lead within a tick or two, and is a survivor from then on).
    /// </summary>
    private SlotController? Survivor(SlotController s)
    {
        foreach (SlotController o in _slots)
        {
            if (o != s && o.HasWorker && o.Channel.Mode == SlotMode.Readable && !_trailing.Trails(o))
            {
                return o;
            }
        }
        return null;
    }

    /// <summary>
    /// Another slot with a worker that can play (and, if <paramref name="progressSince"/> is given, made progress
    /// after it). A loop, not LINQ: some callers run every tick, and a lambda capturing <paramref name="s"/> would
    /// allocate a closure on each call.
    /// </summary>
    private SlotController? ReadablePeer(SlotController s, long progressSince = long.MinValue)
    {
        foreach (SlotController o in _slots)
        {
            if (o != s && o.HasWorker && o.Channel.Mode == SlotMode.Readable && o.Health.LastProgressAt > progressSince)
            {
                return o;
            }
        }
        return null;
    }

    private void OnFaulty(SlotController s, long seq)
    {
        if (s.Phase != SlotPhase.Running)
        {
            return;
        }
        Events.Write("faulty", seq, s.Index, ("pid", s.Pid));
        s.FaultySinceSpawn = true;
        Kill(s, KillReason.Faulty);
    }

    /// <summary>
    /// Two replicas disagree on a block. Which one is right is decided by evidence, not by role: the one not heard
    /// is replaced by a referee — a worker replayed from the newest confirmed checkpoint (or block 0) and the
    /// command log, which is by definition what <c>render --journal</c> plays. If the referee's blocks then match
    /// the active's for <see cref="EngineOptions.VerifyBlocks"/> blocks, the active was right and the referee becomes
    /// the standby; if they differ, the active is wrong: the referee is heard from the next block and the active is
    /// replaced. While the question is open, no checkpoint is taken (the active's state is unproven).
    /// </summary>
    private void OnDivergence(SlotController s)
    {
        if (s.Phase != SlotPhase.Running)
        {
            return;
        }
        if (_trailing.ExplainsDivergence(s))
        {
            return; // a leader that was slow, not stuck, after a heard deadline switch: the switch's undo replaces it
        }
        if (Reader.ActiveSlot != s.Index && !_dispute.IsReferee(s.Index) && Majority(s) is { } verdict)
        {
            if (!verdict && _slots[Reader.ActiveSlot].Phase != SlotPhase.Running)
            {
                return; // the outvoted active is being replaced already (the other dissenter's vote this tick)
            }
            // A third replica is the tie-breaker: no referee, no replay, a decision this tick.
            SlotController wrong = verdict ? s : _slots[Reader.ActiveSlot];
            Events.Write("divergence_resolved", Reader.NextSeq, wrong.Index, ("wrong_pid", wrong.Pid),
                         ("evidence", verdict ? "another replica agrees with the block played" : "two replicas agree against the block played"));
            Kill(wrong, KillReason.Diverged);
            return;
        }
        if (_dispute.IsReferee(s.Index))
        {
            SlotController wrong = _slots[Reader.ActiveSlot];
            Events.Write("divergence_resolved", Reader.NextSeq, wrong.Index, ("wrong_pid", wrong.Pid),
                         ("evidence", "a replay from the newest checkpoint disagrees with it"));
            s.Channel.Mode = SlotMode.Readable; // heard from the next block on
            _dispute.Settle();
            Kill(wrong, KillReason.Diverged);
            return;
        }
        if (Reader.ActiveSlot != s.Index)
        {
            _dispute.Open();
            Kill(s, KillReason.Diverged);
        }
    }

    /// <summary>
    /// With a third opinion: true when another replica (neither the active nor <paramref name="s"/>) agreed with the
    /// block played while <paramref name="s"/> did not (it is the odd one); false when another also disagreed this tick
    /// (the active is outvoted); null when there is no third readable replica to ask.
    /// </summary>
    private bool? Majority(SlotController s)
    {
        bool? verdict = null;
        foreach (SlotController o in _slots)
        {
            if (o == s || o.Index == Reader.ActiveSlot || !o.HasWorker || o.Channel.Mode != SlotMode.Readable)
            {
                continue;
            }
            if (o.MismatchedThisTick)
            {
                return false;
            }
            if (o.Channel.MatchStreak > 0)
            {
                verdict = true;
            }
        }
        return verdict;
    }

    /// <summary>SIGKILLs the slot's worker; the slot is dead once the process is gone (seen on a later tick, never waited for).</summary>
    private void Kill(SlotController s, KillReason reason)
    {
        s.DivergedPid = reason == KillReason.Diverged ? s.Pid : 0;
        _dispute.Lost(s.Index); // the referee itself died: the next respawn of this slot is a referee again
        if (s.Worker == null)
        {
            Detach(s);
            return;
        }
        s.Worker.Kill();
        s.BeginDying(reason);
    }

    private void Detach(SlotController s)
    {
        _dispute.Lost(s.Index);
        _trailing.OnLost(s); // before the detach: the block it was rendering is still in its region
        s.Detach(Reader.NextSeq);
    }

    private void BeginRestart(SlotController s, long now)
    {
        TimeSpan delay = s.FailureExplained || s.Retrying ? TimeSpan.Zero : s.Policy.OnRestart(now);
        s.FailureExplained = false;
        s.Retrying = false;
        if (delay > TimeSpan.Zero)
        {
            s.BackOff(now + (long)(delay.TotalSeconds * Stopwatch.Frequency));
            Events.Write("backoff", Reader.NextSeq, s.Index, ("delay_ms", delay.TotalMilliseconds), ("recent_restarts", s.Policy.RecentRestarts));
            return;
        }
        Respawn(s, now);
    }

    /// <summary>Starts a resync from the survivor's snapshot, or a cold replay from block 0 if there is none.</summary>
    private void Respawn(SlotController s, long now)
    {
        SlotController? survivor = Survivor(s);
        if (survivor == null && _trailing.Slot >= 0 && _slots[_trailing.Slot].HasWorker)
        {
            s.RetryRestart(); // only the trailer is left: it is released to lead within a tick, and copied from then
            return;
        }
        if (survivor == null || _dispute.IsOpen)
        {
            // No survivor, or one whose state is in question: replay from confirmed state instead of copying it.
            if (survivor != null)
            {
                _dispute.Appoint(s.Index);
            }
            else
            {
                _dispute.NoReferee();
            }
            ColdStart(s, initial: false, now);
            return;
        }
        if (survivor.Cursor != _log.Count || !SnapshotRequest.TryAsk(survivor.Commands, survivor.Index, EarliestStamp, now, out SnapshotRequest asked))
        {
            s.RetryRestart(); // survivor's ring is busy: try again next tick
            return;
        }
        s.AwaitResync(asked, survivor.Index);
    }

    private void CompleteResync(SlotController s, long now)
    {
        SnapshotRequest asked = s.Resync;
        SlotController survivor = _slots[asked.Slot];
        SnapshotRequest.Answer answer = asked.Poll(survivor.Link, survivor.HasWorker, now, reuse: null, out byte[]? snapshot);
        switch (answer)
        {
            case SnapshotRequest.Answer.Pending or SnapshotRequest.Answer.Overtaken:
                return; // an overtaken answer will not come either: waiting for the deadline asks at most once per timeout
            case SnapshotRequest.Answer.Refused:
                // The survivor's state cannot be saved (an LV2 plugin's is its own): replay a new worker instead, from
                // the newest checkpoint (taken before any such module, when the state was fully known) or block 0. The
                // per-block hashes then verify it against the survivor before it may be heard.
                Events.Write("snapshot_refused", Reader.NextSeq, s.Index, ("survivor", survivor.Index), ("block", asked.Seq));
                ColdStart(s, initial: false, now);
                return;
            case SnapshotRequest.Answer.WorkerGone or SnapshotRequest.Answer.TimedOut:
                s.RetryRestart(); // try again (from another survivor, or cold)
                return;
            case SnapshotRequest.Answer.Taken:
                break;
            default:
                throw new InvalidOperationException($"unknown snapshot answer {answer} to {asked}");
        }
        byte[] taken = snapshot!; // Answer.Taken
        s.ResetForNewWorker(asked.Seq);
        s.Link.PlaceSnapshot(asked.Seq, taken);
        s.SnapshotBytes = taken.Length;
        s.StartedFrom = null;
        // A checkpoint once the worker started from it is verified (TryPromote): only then is it known that the snapshot
        // reproduces the survivor's state. The survivor going on proves nothing about the copy (found by the control
        // thread's simulation: a snapshot that did not reproduce the state became the checkpoint a referee then replayed
        // from, and the referee's "disagreement" killed the right worker).
        s.ResyncSnapshot = (asked.Seq, taken);
        Spawn(s, asked.Seq, _options.RespawnNice);
    }

    /// <summary>
    /// Starts the worker process on a pool thread (fork and exec can take tens of milliseconds on a busy machine,
    /// and the control thread must keep feeding render limits meanwhile). A respawned worker starts at
    /// <see cref="EngineOptions.RespawnNice"/>; it raises its priority once warm.
    /// </summary>
    private void Spawn(SlotController s, long startSeq, int nice)
    {
        s.Commands.Resynchronise();
        s.Cursor = _log.FirstAtOrAfter(startSeq);
        s.Limit = startSeq;
        s.Link.SetRenderLimit(startSeq);
        IWorkerProcess? spare = _spare?.Take();
        s.Launch(startSeq, _options.Launch.Start(s.Region.Path, _patchPath, nice, spare), fromSpare: spare != null);
        _trailing.OnLaunch(s);
    }

    private void CompleteSpawn(SlotController s, long now)
    {
        Task<IWorkerProcess> launching = s.Launching!;
        if (!launching.IsCompleted)
        {
            return;
        }
        if (!launching.IsCompletedSuccessfully)
        {
            s.LaunchFailed();
            Events.Write("spawn_failed", Reader.NextSeq, s.Index, ("error", launching.Exception?.InnerException?.Message));
            Detach(s);
            return;
        }
        s.Attach(launching.Result, now);
        if (s.SurvivorIndex < 0)
        {
            Events.Write("started", Reader.NextSeq, s.Index, ("pid", s.Pid), ("spare", s.FromSpare));
        }
        else
        {
            Events.Write("respawned", Reader.NextSeq, s.Index, ("pid", s.Pid), ("from_snapshot_of", s.SurvivorIndex),
                         ("snapshot_seq", s.PendingStartSeq), ("snapshot_bytes", s.SnapshotBytes), ("spare", s.FromSpare));
        }
    }

    /// <summary>
    /// Starts a worker with no survivor to copy: from the newest checkpoint, or from block 0 before the first one.
    /// </summary>
    private void ColdStart(SlotController s, bool initial, long now)
    {
        s.SurvivorIndex = -1;
        Checkpoint? from = initial ? null : _checkpoints.Newest;
        if (!initial && InputIsGone(from?.Seq ?? 0))
        {
            // No crash loop: a worker that cannot have its input is not started. The slot waits (role backoff, said
            // once) and looks again later: a newer checkpoint (the plugin that prevented them was removed) may do.
            WarnIfInputIsGone(s, from?.Seq ?? 0);
            s.BackOff(now + (long)(InputGoneRetry.TotalSeconds * Stopwatch.Frequency));
            return;
        }
        s.StartedFrom = from;
        s.ResyncSnapshot = null;
        if (from == null)
        {
            s.ResetForNewWorker(0);
            Spawn(s, 0, initial ? 0 : _options.RespawnNice);
            return;
        }
        s.ResetForNewWorker(from.Seq);
        s.Link.PlaceSnapshot(from.Seq, from.Snapshot);
        Events.Write("cold_start", Reader.NextSeq, s.Index, ("from_block", from.Seq));
        Spawn(s, from.Seq, _options.RespawnNice);
    }

    /// <summary>
    /// The newest start block a worker stopped at for want of input (exit code InputLost; -1: none). A fact about the
    /// session's record, not about a slot: a worker of any slot started from that block or before would stop too.
    /// </summary>
    private long _inputLostFrom = -1;

    /// <summary>The start block the engine last said it lacks the live input for (-1: none): said once, whichever slot asks.</summary>
    private long _inputWarnedFrom = -1;

    /// <summary>How long a slot whose worker could not have its input waits before it looks again (no process is started meanwhile).</summary>
    public static readonly TimeSpan InputGoneRetry = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Whether a worker replayed from <paramref name="startSeq"/> cannot have the live input since then: the regions
    /// keep the last <see cref="EngineOptions.InputHistoryBlocks"/> of it, and the session's record on disk (the
    /// journal's input file, or the private record of a session without a journal) the rest, unless it lost a block;
    /// and a worker from the same block or an older one already stopped for want of it.
    /// </summary>
    private bool InputIsGone(long startSeq)
    {
        if (Reader.Input is not { } input)
        {
            return false;
        }
        if (_inputLostFrom >= 0 && startSeq <= _inputLostFrom)
        {
            return true;
        }
        bool inHistory = startSeq >= input.Next - _inputHistoryBlocks + _options.RingDepth;
        return !inHistory && _journal?.InputRecordComplete != true;
    }

    /// <summary>
    /// Says once per start block, whichever slot asks (the first slot's event explains the others), that a worker
    /// replayed from <paramref name="startSeq"/> cannot have the live input since then (<see cref="InputIsGone"/>): the
    /// slot runs without a worker, so the log explains it.
    /// </summary>
    private void WarnIfInputIsGone(SlotController s, long startSeq)
    {
        if (Reader.Input is not { } input || _inputWarnedFrom == startSeq)
        {
            return;
        }
        _inputWarnedFrom = startSeq;
        Events.Write("input_history_short", Reader.NextSeq, s.Index, ("from_block", startSeq),
                     ("oldest_input_block", Math.Max(0, input.Next - _inputHistoryBlocks)),
                     ("record", _inputLostFrom >= 0 && startSeq <= _inputLostFrom ? "a worker found it short"
                                : _journal?.InputRecordComplete == false ? "lost blocks" : "none"));
    }

    private static void KillQuietly(SlotController s)
    {
        s.TakeOverLaunch(TimeSpan.FromSeconds(10));
        if (s.Worker is { HasExited: false })
        {
            s.Worker.Kill();
            s.Worker.WaitForExit(TimeSpan.FromSeconds(2));
        }
    }
}
