using System.Text;
using System.Text.Json;

namespace Perpetuo.Supervisor.Control;

/// <summary>A point-in-time report of the engine: what `perpetuo status --json` prints.</summary>
public sealed record EngineStatus(long Seq, long Underruns, long Failovers, long Divergences, long GcCollections,
                                  long CommandsAccepted, long CommandsRejected, long LateCommands, int ActiveSlot,
                                  int SampleRate, int BlockFrames, int RingDepth, IReadOnlyList<SlotStatus> Slots)
{
    /// <summary>The last engine events (each one line of the events file, a JSON object), oldest first.</summary>
    public IReadOnlyList<string> RecentEvents { get; init; } = [];

    /// <summary>Bytes the supervisor process allocated since the engine started (all threads; the callback adds none).</summary>
    public long AllocatedBytes { get; init; }

    /// <summary>Block of the newest checkpoint a worker with no survivor would resume from, or -1.</summary>
    public long CheckpointSeq { get; init; } = -1;

    /// <summary>Commands the command log holds in memory (the journal has all of them).</summary>
    public int CommandLogHeld { get; init; }

    /// <summary>Journal lines a write error lost (disk full): nonzero means the journal no longer replays the session.</summary>
    public long JournalLinesLost { get; init; }

    /// <summary>Events-file lines a write error lost (disk full); the events are still in <see cref="RecentEvents"/>.</summary>
    public long EventLinesLost { get; init; }

    /// <summary>Whether the workers' output safety stage is on (false only with play --no-limiter).</summary>
    public bool Limiter { get; init; } = true;

    /// <summary>Blocks the active slot's worker clipped: the played output's count, as far as that worker saw it.</summary>
    public long LimiterBlocks => ActiveSlot >= 0 && ActiveSlot < Slots.Count ? Slots[ActiveSlot].LimiterBlocks : 0;

    /// <summary>The JSON object documented in docs/protocol.md (snake_case keys).</summary>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteNumber("seq", Seq);
            w.WriteNumber("underruns", Underruns);
            w.WriteNumber("failovers", Failovers);
            w.WriteNumber("divergences", Divergences);
            w.WriteNumber("gc_collections", GcCollections);
            w.WriteNumber("allocated_bytes", AllocatedBytes);
            w.WriteNumber("commands_accepted", CommandsAccepted);
            w.WriteNumber("commands_rejected", CommandsRejected);
            w.WriteNumber("late_commands", LateCommands);
            w.WriteNumber("active_slot", ActiveSlot);
            w.WriteNumber("sample_rate", SampleRate);
            w.WriteNumber("block_frames", BlockFrames);
            w.WriteNumber("ring_depth", RingDepth);
            w.WriteNumber("checkpoint_seq", CheckpointSeq);
            w.WriteNumber("command_log_held", CommandLogHeld);
            w.WriteNumber("journal_lines_lost", JournalLinesLost);
            w.WriteNumber("event_lines_lost", EventLinesLost);
            w.WriteBoolean("limiter", Limiter);
            w.WriteNumber("limiter_blocks", LimiterBlocks);
            w.WriteStartArray("slots");
            foreach (SlotStatus s in Slots)
            {
                w.WriteStartObject();
                w.WriteNumber("slot", s.Slot);
                w.WriteNumber("pid", s.Pid);
                w.WriteString("role", s.Role.ToString().ToLowerInvariant());
                w.WriteNumber("last_seq", s.LastSeq);
                w.WriteNumber("heartbeat_age_ms", Math.Round(s.HeartbeatAgeMs, 3));
                w.WriteNumber("rms", Math.Round(s.Rms, 6));
                w.WriteNumber("restarts", s.Restarts);
                w.WriteNumber("misses", s.Misses);
                w.WriteNumber("faults", s.Faults);
                w.WriteNumber("recent_restarts", s.RecentRestarts);
                w.WriteNumber("backoff_ms_left", Math.Round(s.BackoffMsLeft, 1));
                w.WriteNumber("limiter_blocks", s.LimiterBlocks);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("recent_events");
            foreach (string line in RecentEvents)
            {
                w.WriteRawValue(line);
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
