using System.Diagnostics;
using Perpetuo.Supervisor.Osc;

namespace Perpetuo.Supervisor.Control;

// The engine as the OSC server's target. TrySubmit, TryInjectFault and CountRejected are the engine's own
// members; this file adds the clock (Status() is the engine's own too) and the allocation-free glance that
// `/perpetuo/levels` reports, read from the same fields as Status(). Control thread only.
public sealed partial class Engine : IEngineTarget
{
    int IEngineTarget.SampleRate => _options.SampleRate;

    int IEngineTarget.BlockFrames => _options.BlockFrames;

    long IEngineTarget.NextBlock => Reader.NextSeq;

    EngineGlance IEngineTarget.Glance() =>
        new(Reader.NextSeq, Reader.ActiveSlot, Reader.Underruns, Reader.Failovers, Reader.Divergences, AcceptedCommands,
            GcCollections, _quarantine.Entries.Count, _slots.Length, Reader.Peaks.Channels);

    SlotGlance IEngineTarget.GlanceSlot(int slot)
    {
        SlotController s = _slots[slot];
        long now = Stopwatch.GetTimestamp();
        return new SlotGlance(s.Role(Reader.ActiveSlot), s.Worker != null ? s.Pid : 0, s.Channel.Rms, Math.Max(0, s.Restarts - 1),
                              s.HeartbeatAgeMs(now), BackoffMsLeft(s, now));
    }

    float IEngineTarget.Peak(int channel) => Reader.Peaks.Peak(channel);

    /// <summary>Milliseconds until a slot in backoff is restarted; 0 in any other phase.</summary>
    private static double BackoffMsLeft(SlotController s, long now) =>
        s.Phase == SlotPhase.Backoff ? Math.Max(0, s.BackoffUntil - now) * 1000.0 / Stopwatch.Frequency : 0;
}
