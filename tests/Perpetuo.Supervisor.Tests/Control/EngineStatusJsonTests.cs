using System.Text.Json;
using Perpetuo.Supervisor.Control;

namespace Perpetuo.Supervisor.Tests.Control;

public class EngineStatusJsonTests
{
    private const string Event = """{"ts":"2026-01-05T10:12:03.4411Z","event":"started","seq":0,"slot":0,"pid":20267}""";

    private static EngineStatus Sample(OscStatus? osc = null) =>
        new(934, 1, 2, 3, 4, 5, 6, 7, 0, 48000, 256, 3,
            [new SlotStatus(0, 20267, SlotRole.Active, 936, 1.81234, 0.1123456789, 8, 9, 10, 11) { BackoffMsLeft = 12.34, LimiterBlocks = 13 },
             new SlotStatus(1, 0, SlotRole.Backoff, 0, 0, 0, 0, 0, 0, 3) { BackoffMsLeft = 250 }])
        {
            AllocatedBytes = 99, CheckpointSeq = 1875, CommandLogHeld = 4, JournalLinesLost = 14, EventLinesLost = 15, Limiter = false,
            RecentEvents = [Event], Osc = osc, Quarantined = [new QuarantinedModule("fx", 1200, "crash")],
        };

    [Fact]
    public void UsesTheDocumentedNamesInTheDocumentedOrder()
    {
        using JsonDocument doc = JsonDocument.Parse(Sample(new OscStatus("127.0.0.1:57130", 7, 0, 4, 2, 0, 0)).ToJson());
        JsonElement root = doc.RootElement;
        Assert.Equal(["seq", "underruns", "failovers", "divergences", "gc_collections", "allocated_bytes", "commands_accepted",
                      "commands_rejected", "late_commands", "active_slot", "sample_rate", "block_frames", "ring_depth",
                      "checkpoint_seq", "command_log_held", "command_log_spilled", "journal_lines_lost", "event_lines_lost", "limiter", "limiter_blocks",
                      "quarantined", "slots", "recent_events", "osc"],
                     root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["slot", "pid", "role", "last_seq", "heartbeat_age_ms", "rms", "restarts", "misses", "faults",
                      "recent_restarts", "backoff_ms_left", "limiter_blocks"],
                     root.GetProperty("slots")[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(["endpoint", "packets", "malformed", "accepted", "rejected", "replies_dropped", "replies_suppressed"],
                     root.GetProperty("osc").EnumerateObject().Select(p => p.Name));
        Assert.Equal("active", root.GetProperty("slots")[0].GetProperty("role").GetString());
        Assert.Equal("backoff", root.GetProperty("slots")[1].GetProperty("role").GetString());
        Assert.Equal(1.812, root.GetProperty("slots")[0].GetProperty("heartbeat_age_ms").GetDouble());
        Assert.Equal(0.112346, root.GetProperty("slots")[0].GetProperty("rms").GetDouble());
        Assert.Equal(12.3, root.GetProperty("slots")[0].GetProperty("backoff_ms_left").GetDouble());
        Assert.Equal(13, root.GetProperty("limiter_blocks").GetInt64()); // the active slot's
        Assert.Equal(Event, root.GetProperty("recent_events")[0].GetRawText()); // embedded as the events file has it
        Assert.Equal("""[{"module":"fx","block":1200,"reason":"crash"}]""", root.GetProperty("quarantined").GetRawText());
    }

    [Fact]
    public void OmitsOscWhenTheEngineReportsAlone()
    {
        using JsonDocument doc = JsonDocument.Parse(Sample().ToJson());
        Assert.False(doc.RootElement.TryGetProperty("osc", out _));
        Assert.Null(EngineStatus.Parse(Sample().ToJson()).Osc);
    }

    [Fact]
    public void RoundTripsThroughTheGeneratedContext()
    {
        EngineStatus sent = Sample(new OscStatus("127.0.0.1:57130", 7, 1, 4, 2, 3, 5));
        EngineStatus back = EngineStatus.Parse(sent.ToJson());
        Assert.Equal(sent.ToJson(), back.ToJson());
        Assert.Equal(sent.Slots, back.Slots);
        Assert.Equal(sent.Osc, back.Osc);
        Assert.Equal([Event], back.RecentEvents);
        Assert.Equal((1875L, 4, 14L, 15L, false, 13L, 99L),
                     (back.CheckpointSeq, back.CommandLogHeld, back.JournalLinesLost, back.EventLinesLost, back.Limiter, back.LimiterBlocks, back.AllocatedBytes));
    }

    [Fact]
    public void ReadsTheDocumentedExample()
    {
        const string documented = """
            {"seq":934,"underruns":0,"failovers":0,"divergences":0,"gc_collections":0,
             "commands_accepted":4,"commands_rejected":2,"late_commands":0,"active_slot":0,
             "sample_rate":48000,"block_frames":256,"ring_depth":3,"checkpoint_seq":1875,"command_log_held":4,
             "journal_lines_lost":0,"event_lines_lost":0,"limiter":true,"limiter_blocks":0,
             "slots":[{"slot":0,"pid":20267,"role":"active","last_seq":936,"heartbeat_age_ms":1.8,"rms":0.11,
                       "restarts":0,"misses":0,"faults":0,"recent_restarts":0,"backoff_ms_left":0,"limiter_blocks":0}],
             "recent_events":[{"ts":"2026-01-05T10:12:03.4411Z","event":"started","seq":0,"slot":0,"pid":20267}],
             "osc":{"endpoint":"127.0.0.1:57130","packets":7,"malformed":0,"accepted":4,"rejected":2,"replies_dropped":0,
                    "replies_suppressed":0}}
            """;
        EngineStatus s = EngineStatus.Parse(documented);
        Assert.Equal((934L, 4L, 2L, 48000, 256, 3, 1875L, 4), (s.Seq, s.CommandsAccepted, s.CommandsRejected, s.SampleRate, s.BlockFrames, s.RingDepth, s.CheckpointSeq, s.CommandLogHeld));
        SlotStatus slot = Assert.Single(s.Slots);
        Assert.Equal((0, 20267, SlotRole.Active, 936L, 1.8, 0.11), (slot.Slot, slot.Pid, slot.Role, slot.LastSeq, slot.HeartbeatAgeMs, slot.Rms));
        Assert.Equal(new OscStatus("127.0.0.1:57130", 7, 0, 4, 2, 0, 0), s.Osc);
        Assert.Equal([Event], s.RecentEvents);
    }
}
