using System.Globalization;
using System.Text.Json;

namespace Perpetuo.Web;

// Design: the engine's events are the truth (each line of its events file, numbered, from /perpetuo/events); the
// timeline turns each into one sentence a musician can read on stage, with a severity for its colour, and drops
// the routine ones (checkpoints). What the web process itself saw — the engine stopped answering, came back,
// restarted, or more events came at once than the engine keeps — is a note of its own. Bounded: the newest
// WebLimits.TimelineEntries, numbered, so a page asks only for what it has not seen.

/// <summary>The events timeline of the page.</summary>
/// <remarks>Thread-safe (the engine link adds, pages read).</remarks>
public sealed class Timeline(int capacity)
{
    private readonly Lock _gate = new();
    private readonly Queue<TimelineEntry> _entries = new();
    private long _number;

    /// <summary>The number of the newest entry (0 before the first).</summary>
    public long Newest
    {
        get
        {
            lock (_gate)
            {
                return _number;
            }
        }
    }

    /// <summary>Adds the entry for one engine event line; false when the event is routine (not shown) or not an event.</summary>
    public bool AddEvent(string line)
    {
        TimelineEntry? entry = Describe(line);
        if (entry != null)
        {
            Add(entry);
        }
        return entry != null;
    }

    /// <summary>Adds a note of the web process's own (the engine's link).</summary>
    public void AddNote(string kind, string severity, string text) =>
        Add(new TimelineEntry(0, DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.ffffZ", CultureInfo.InvariantCulture), kind, severity, text, -1));

    /// <summary>The kept entries numbered after <paramref name="after"/>, oldest first.</summary>
    public IReadOnlyList<TimelineEntry> After(long after)
    {
        lock (_gate)
        {
            return [.. _entries.Where(e => e.Number > after)];
        }
    }

    private void Add(TimelineEntry entry)
    {
        lock (_gate)
        {
            _entries.Enqueue(entry with { Number = ++_number });
            while (_entries.Count > capacity)
            {
                _entries.Dequeue();
            }
        }
    }

    /// <summary>The entry for an event line, or null for a routine event or a line that is not an event object.</summary>
    internal static TimelineEntry? Describe(string line)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(line);
        }
        catch (JsonException)
        {
            return null;
        }
        using (doc)
        {
            JsonElement e = doc.RootElement;
            if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty("event", out JsonElement kindElement) || kindElement.ValueKind != JsonValueKind.String)
            {
                return null;
            }
            string kind = kindElement.GetString()!;
            var f = new Fields(e);
            (string Severity, string Text)? said = Say(kind, f);
            return said is { } s ? new TimelineEntry(0, f.Text("ts"), kind, s.Severity, s.Text, f.Int("slot", -1)) : null;
        }
    }

    private static (string, string)? Say(string kind, Fields f) => kind switch
    {
        "failover" => ("warn", $"Failover at block {f.Text("seq")}: slot {f.Text("from")} → slot {f.Text("to")}. The standby's identical block played: nothing was heard."),
        "failovers" => ("warn", $"{f.Text("count")} more failovers (blocks {f.Text("first")}–{f.Text("last")})."),
        "underrun" => ("alert", $"Underrun at block {f.Text("seq")}: no worker had the block, the output faded to silence."),
        "underruns" => ("alert", $"{f.Text("count")} more blocks of silence (blocks {f.Text("first")}–{f.Text("last")})."),
        "divergence" => ("warn", $"Slot {f.Text("slot")} played a different block {f.Text("seq")} than slot {f.Text("played_from")}: it will be checked."),
        "divergences" => ("warn", $"{f.Text("count")} more divergent blocks (blocks {f.Text("first")}–{f.Text("last")})."),
        "divergence_resolved" => ("ok", $"Divergence settled: the worker of slot {f.Text("slot")} (pid {f.Text("wrong_pid")}) was the wrong one and is replaced."),
        "exited" => ("warn", Exited(f)),
        "killed" => ("warn", $"Worker {f.Text("pid")} in slot {f.Text("slot")} stopped by the engine: {f.Text("reason")}."),
        "hung" => ("warn", $"Worker {f.Text("pid")} in slot {f.Text("slot")} hung ({f.Number("silent_ms"):0} ms without a heartbeat)."),
        "slow" => ("warn", $"Worker {f.Text("pid")} in slot {f.Text("slot")} is too slow ({f.Text("misses")} blocks missed)."),
        "faulty" => ("warn", $"Worker {f.Text("pid")} in slot {f.Text("slot")} wrote garbage into its ring: replaced."),
        "started" => ("info", $"Worker {f.Text("pid")} started in slot {f.Text("slot")}."),
        "respawned" => ("info", $"Slot {f.Text("slot")}: new worker {f.Text("pid")}, brought to slot {f.Text("from_snapshot_of")}'s exact state."),
        "resynced" => ("ok", $"Slot {f.Text("slot")} verified ({f.Text("verified_blocks")} identical blocks): standby again."),
        "recovered" => ("ok", $"Slot {f.Text("slot")} (worker {f.Text("pid")}) caught up and plays again."),
        "cold_start" => ("info", $"Slot {f.Text("slot")} replays from block {f.Text("from_block")} (no survivor to copy)."),
        "snapshot_refused" => ("info", $"Slot {f.Text("slot")} replays the session (a plugin's state cannot be copied)."),
        "backoff" => ("alert", $"Slot {f.Text("slot")} restarted too often: next try in {f.Number("delay_ms") / 1000:0.#} s."),
        "spawn_failed" => ("alert", $"Slot {f.Text("slot")}: a worker could not be started ({f.Text("error")})."),
        "worker_failed_in_module" => ("warn", $"Worker {f.Text("pid")} failed inside module {f.Text("module")} ({f.Text("reason")}) at block {f.Text("block")}."),
        "module_quarantined" => ("alert", $"Module {f.Text("module")} quarantined ({f.Text("reason")}) at block {f.Text("block")}: bypassed, the rest of the chain plays on."),
        "checkpoint_rejected" => ("warn", $"A checkpoint could not be loaded (block {f.Text("block")}); slot {f.Text("slot")} falls back."),
        "input_history_short" => ("warn", $"Slot {f.Text("slot")} cannot catch up on the live input: it runs without a standby for now."),
        "journal_write_failed" => ("alert", $"The journal lost a line ({f.Text("error")}): render --journal can no longer reproduce this session."),
        "events_write_failed" => ("alert", $"The events file lost a line ({f.Text("error")})."),
        "journal_input_lost" => ("alert", $"The journal's input file lost a block ({f.Text("error")})."),
        "slow_tick" => ("info", $"The control thread was late ({f.Number("ms"):0.#} ms)."),
        "fault_injected" => ("info", $"Fault injected into slot {f.Text("slot")}: {f.Text("kind")}."),
        "checkpoint" or "checkpoint_discarded" => null, // routine: every 10 s
        _ => ("info", $"{kind} at block {f.Text("seq")}."),
    };

    private static string Exited(Fields f)
    {
        int code = f.Int("code", 0);
        string how = code > 128 ? $"was killed by signal {code - 128}" : code == 0 ? "exited" : $"crashed (exit status {code})";
        return $"Worker {f.Text("pid")} in slot {f.Text("slot")} {how}.";
    }

    /// <summary>An event's fields, read forgivingly: a missing one reads as "?".</summary>
    private readonly struct Fields(JsonElement e)
    {
        public string Text(string name) => e.TryGetProperty(name, out JsonElement v) ? v.ValueKind switch
        {
            JsonValueKind.String => v.GetString()!,
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => v.GetRawText(),
            _ => "?",
        } : "?";

        public double Number(string name) =>
            e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out double d) ? d : double.NaN;

        public int Int(string name, int fallback) =>
            e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int i) ? i : fallback;
    }
}

/// <summary>One line of the timeline: its number, the engine's time stamp, the event, how bad, what it means.</summary>
public sealed record TimelineEntry(long Number, string Ts, string Kind, string Severity, string Text, int Slot);
