using System.Text;
using System.Text.Json;

namespace Perpetuo.Web;

/// <summary>
/// The messages a page is sent, each one JSON object whose <c>"t"</c> names its kind (docs/architecture.md, perpetuo
/// web): written here with one Utf8JsonWriter each, snake_case like the engine's own JSON.
/// </summary>
internal static class WebJson
{
    /// <summary><c>{"t":T,"NAME":BODY}</c>, with <paramref name="body"/> already JSON (the engine's own, embedded as is).</summary>
    public static string Envelope(string t, string name, string body) => Write(w =>
    {
        w.WriteString("t", t);
        w.WritePropertyName(name);
        w.WriteRawValue(body, skipInputValidation: false);
    });

    /// <summary>Whether <paramref name="json"/> is one JSON object (what the engine answers is checked before a page gets it).</summary>
    public static bool IsObject(string json)
    {
        try
        {
            using JsonDocument doc = JsonDocument.Parse(json);
            return doc.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    public static string Levels(EngineLevels l) => Write(w =>
    {
        w.WriteString("t", "levels");
        w.WriteNumber("seq", l.Seq);
        w.WriteNumber("active_slot", l.ActiveSlot);
        w.WriteNumber("underruns", l.Underruns);
        w.WriteNumber("failovers", l.Failovers);
        w.WriteNumber("divergences", l.Divergences);
        w.WriteNumber("events", l.Events);
        w.WriteNumber("graph_version", l.GraphVersion);
        w.WriteNumber("commands_accepted", l.CommandsAccepted);
        w.WriteNumber("gc_collections", l.GcCollections);
        w.WriteNumber("quarantined", l.Quarantined);
        w.WriteStartArray("slots");
        foreach (SlotLevels s in l.Slots)
        {
            w.WriteStartObject();
            w.WriteNumber("slot", s.Slot);
            w.WriteString("role", s.Role);
            w.WriteNumber("pid", s.Pid);
            w.WriteNumber("rms", Finite(s.Rms));
            w.WriteNumber("restarts", s.Restarts);
            w.WriteNumber("heartbeat_age_ms", Finite(s.HeartbeatAgeMs));
            w.WriteNumber("backoff_ms_left", Finite(s.BackoffMsLeft));
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("peaks");
        foreach (float p in l.Peaks)
        {
            w.WriteNumberValue(Finite(p));
        }
        w.WriteEndArray();
    });

    public static string Link(bool connected, string engine, bool patchDirectory) => Write(w =>
    {
        w.WriteString("t", "link");
        w.WriteBoolean("connected", connected);
        w.WriteString("engine", engine);
        w.WriteBoolean("patch_dir", patchDirectory);
    });

    public static string Patches(IReadOnlyList<string> names) => Write(w =>
    {
        w.WriteString("t", "patches");
        w.WriteStartArray("names");
        foreach (string n in names)
        {
            w.WriteStringValue(n);
        }
        w.WriteEndArray();
    });

    public static string Timeline(IReadOnlyList<TimelineEntry> entries, long historyUntil) => Write(w =>
    {
        w.WriteString("t", "timeline");
        w.WriteNumber("history_until", historyUntil);
        w.WriteStartArray("entries");
        foreach (TimelineEntry e in entries)
        {
            w.WriteStartObject();
            w.WriteNumber("n", e.Number);
            w.WriteString("ts", e.Ts);
            w.WriteString("kind", e.Kind);
            w.WriteString("severity", e.Severity);
            w.WriteString("text", e.Text);
            w.WriteNumber("slot", e.Slot);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    });

    public static string Reply(int id, PageReply reply) => Write(w =>
    {
        w.WriteString("t", "reply");
        w.WriteNumber("id", id);
        w.WriteBoolean("ok", reply.Ok);
        w.WriteString("message", reply.Message);
    });

    public static string Hello(WebLimits limits) => Write(w =>
    {
        w.WriteString("t", "hello");
        w.WriteNumber("max_message_bytes", limits.MaxMessageBytes);
        w.WriteNumber("requests_per_second", limits.PageRequestsPerSecond);
    });

    private static float Finite(float v) => float.IsFinite(v) ? v : 0;

    /// <summary>One JSON object: <paramref name="body"/> writes its members.</summary>
    internal static string Write(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
