using System.Diagnostics;
using Perpetuo.Supervisor.Control;
using Perpetuo.Transport;

namespace Perpetuo.Cli.Demo;

/// <summary>
/// Plays the script against a running engine on the main thread: waits for each step's block on the output's
/// clock, sends requests through <see cref="DemoControl"/>, and kills or stops the active worker — but only once
/// the other slot is a verified standby, because only then is a kill meant to be inaudible.
/// </summary>
/// <remarks>Script (main) thread; <paramref name="pump"/> prints what the control thread reported, every few milliseconds.</remarks>
internal sealed class DemoRunner(Engine engine, DemoControl control, DemoClock clock, Action<string> say, Action pump)
{
    private static readonly TimeSpan Stuck = TimeSpan.FromSeconds(5);

    /// <summary>SIGKILLs sent.</summary>
    public int Kills { get; private set; }

    /// <summary>SIGSTOPs sent.</summary>
    public int Hangs { get; private set; }

    /// <summary>Faults not injected because no verified standby came up in time.</summary>
    public int Skipped { get; private set; }

    /// <summary>Pids sent SIGSTOP, for cleanup should the supervisor not have killed them.</summary>
    public List<int> Stopped { get; } = [];

    /// <summary>Runs <paramref name="steps"/> over the blocks 0..<paramref name="endBlock"/> and returns when the output reaches it.</summary>
    public void Run(IReadOnlyList<DemoStep> steps, long endBlock)
    {
        foreach (DemoStep step in steps)
        {
            WaitFor((long)(step.Fraction * endBlock));
            switch (step.Action)
            {
                case DemoAction.Send:
                    if (!control.TrySend(step.Message!, out string error))
                    {
                        say($"{clock.At(engine.Reader.NextSeq)}  send {step.Message}  -> refused: {error}");
                    }
                    break;
                default:
                    Inject(step.Action, endBlock);
                    break;
            }
        }
        WaitFor(endBlock);
    }

    private void Inject(DemoAction action, long endBlock)
    {
        long giveUp = endBlock - clock.BlockAt(0.5);
        int slot;
        int pid;
        while (!TryFindVictim(out slot, out pid))
        {
            if (engine.Reader.NextSeq >= giveUp)
            {
                Skipped++;
                say($"{clock.At(engine.Reader.NextSeq)}  (no verified standby in time: {action.ToString().ToLowerInvariant()} skipped)");
                return;
            }
            Thread.Sleep(5);
            pump();
        }
        bool hang = action == DemoAction.Hang;
        say($"{clock.At(engine.Reader.NextSeq)}  kill -{(hang ? "STOP" : "9")} {pid}   <- slot {slot}'s worker, the one being heard " +
            (hang ? "(it freezes: a hang, not a crash)" : "(a crash)"));
        if (hang)
        {
            Stopped.Add(pid);
            Hangs++;
        }
        else
        {
            Kills++;
        }
        LibC.Kill(pid, hang ? LibC.SIGSTOP : LibC.SIGKILL);
    }

    /// <summary>The active slot and its worker, if every other slot is verified (a standby, or the trailing replica).</summary>
    private bool TryFindVictim(out int slot, out int pid)
    {
        EngineStatus s = engine.Status();
        int active = s.ActiveSlot;
        slot = active;
        pid = engine.WorkerPid(active);
        return pid > 0
            && s.Slots.Count >= 2
            && s.Slots[active].Role == SlotRole.Active
            && s.Slots.Where(x => x.Slot != active).All(x => x.Role is SlotRole.Standby or SlotRole.Trailing);
    }

    /// <summary>Waits until the output has played up to <paramref name="block"/> (its clock, not the wall clock).</summary>
    private void WaitFor(long block)
    {
        long last = engine.Reader.NextSeq;
        var still = Stopwatch.StartNew();
        while (engine.Reader.NextSeq < block)
        {
            Thread.Sleep(5);
            pump();
            long now = engine.Reader.NextSeq;
            if (now != last)
            {
                last = now;
                still.Restart();
            }
            else if (still.Elapsed > Stuck)
            {
                throw new CliException($"demo: the output stopped asking for audio at block {now} (for {Stuck.TotalSeconds:0} s)");
            }
        }
    }
}
