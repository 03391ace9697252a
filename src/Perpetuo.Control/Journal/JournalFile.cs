using System.Text.Json;
using Perpetuo.Protocol;

namespace Perpetuo.Control.Journal;

/// <summary>
/// The journal format: one JSON object per line. A session line,
/// <c>{"kind":"session","rate":48000,"channels":2,"block":256,"limiter":true}</c>, which the writer puts first, and
/// one line per command, <c>{"block":120,"frame":0,"kind":"param","id":"filter","name":"cutoff","value":800,"value2":0}</c>.
/// See docs/protocol.md, Journal format.
/// </summary>
/// <remarks>
/// The session line is recognised wherever it stands (at most one): only the commands are held to block order.
/// A journal without one (written before it existed) reads with a null <see cref="JournalContents.Session"/>,
/// which means the limiter on and the format given to render.
/// </remarks>
public static class JournalFile
{
    /// <summary>The kind of the session line.</summary>
    public const string SessionKind = "session";

    /// <summary>The kind of a line naming a plugin the session played.</summary>
    public const string PluginKind = "plugin";

    private static readonly string[] KindNames =
        ["", "param", "note_on", "note_off", "all_notes_off", "module_add", "module_remove", "clear", "quarantine", "module_restore"];

    /// <summary>The kind's name in the journal ("param", "note_on", ...).</summary>
    public static string KindName(CommandKind kind) => (int)kind > 0 && (int)kind < KindNames.Length ? KindNames[(int)kind] : "unknown";

    /// <summary>Reads a journal's commands (see <see cref="Load"/>).</summary>
    public static IReadOnlyList<JournalEntry> Read(string path) => Load(path).Entries;

    /// <summary>
    /// Reads a journal, its commands in block order; a malformed line is an <see cref="InvalidDataException"/> naming
    /// file and line. Lines are written in block order, except a <c>quarantine</c>: it is written when the
    /// supervisor learns of the fault, a few blocks after the block it names, and takes its place here (a stable
    /// sort: the lines of one block keep their order).
    /// </summary>
    public static JournalContents Load(string path)
    {
        var list = new List<JournalEntry>();
        var plugins = new List<JournalPlugin>();
        JournalHeader? session = null;
        int lineNo = 0;
        foreach (string line in File.ReadLines(path))
        {
            lineNo++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            try
            {
                using var doc = JsonDocument.Parse(line);
                JsonElement o = doc.RootElement;
                string? kind = o.GetProperty("kind").GetString();
                if (kind == PluginKind)
                {
                    plugins.Add(ParsePlugin(o));
                }
                else if (kind != SessionKind)
                {
                    list.Add(Parse(o));
                }
                else if (session == null)
                {
                    session = ParseSession(o);
                }
                else
                {
                    throw new FormatException("a second session line");
                }
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                throw new InvalidDataException($"{path}:{lineNo}: not a journal entry: {e.Message}", e);
            }
        }
        // Each line against the newest block of the other lines so far, not against the line before it: a late
        // quarantine line has a low block, and a line out of order after it must not pass for in order.
        long newest = long.MinValue;
        for (int i = 0; i < list.Count; i++)
        {
            if (list[i].Kind == CommandKind.Quarantine)
            {
                continue;
            }
            if (list[i].Block < newest)
            {
                throw new InvalidDataException($"{path}: entries are not in block order at entry {i + 1}");
            }
            newest = list[i].Block;
        }
        return new JournalContents(session, list.OrderBy(e => e.Block).ToList()) { Plugins = plugins }; // stable
    }

    private static JournalEntry Parse(JsonElement o)
    {
        string kind = o.GetProperty("kind").GetString() ?? "";
        int k = Array.IndexOf(KindNames, kind);
        if (k <= 0)
        {
            throw new FormatException($"unknown kind \"{kind}\"");
        }
        return new JournalEntry(
            o.GetProperty("block").GetInt64(),
            o.GetProperty("frame").GetInt32(),
            (CommandKind)k,
            o.GetProperty("id").GetString() ?? "",
            o.GetProperty("name").GetString() ?? "",
            o.GetProperty("value").GetSingle(),
            o.GetProperty("value2").GetSingle());
    }

    private static JournalHeader ParseSession(JsonElement o) =>
        new(Positive(o, "rate"), Positive(o, "channels"), Positive(o, "block"), o.GetProperty("limiter").GetBoolean(),
            o.TryGetProperty("input", out JsonElement input) ? BareFileName(input.GetString()) : null,
            o.TryGetProperty("patch", out JsonElement patch) ? Patch(patch) : null);

    /// <summary>The session's patch, an object, as JSON text (parsed and validated as a patch file is, by its reader).</summary>
    private static string Patch(JsonElement patch) =>
        patch.ValueKind == JsonValueKind.Object ? patch.GetRawText() : throw new FormatException("session patch must be an object");

    private static JournalPlugin ParsePlugin(JsonElement o) =>
        new(o.GetProperty("uri").GetString() is { Length: > 0 } uri ? uri : throw new FormatException("a plugin line without its uri"),
            o.GetProperty("version").GetString() ?? "",
            o.GetProperty("library").GetString() ?? "");

    /// <summary>
    /// The session's input file: a bare name in the journal's directory, never a path, so a journal from elsewhere
    /// cannot make a render read a file outside the directory it sits in.
    /// </summary>
    private static string BareFileName(string? name) =>
        name is { Length: > 0 and <= 255 } && name != "." && name != ".." && name.IndexOfAny(['/', '\0']) < 0
            ? name
            : throw new FormatException("session input must be a file name in the journal's directory");

    private static int Positive(JsonElement o, string name)
    {
        int v = o.GetProperty(name).GetInt32();
        return v > 0 ? v : throw new FormatException($"session {name} {v} is not positive");
    }
}
