using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Perpetuo.Cli;

/// <summary>One frame of `perpetuo top`, drawn from a status JSON object (docs/protocol.md).</summary>
/// <remarks>Runs in the top process only; the engine just answers /perpetuo/status.</remarks>
internal static class TopView
{
    private const int MeterWidth = 20;
    private const double MeterFloorDb = -60;

    /// <summary>The frame: engine line, slot table, recent events.</summary>
    /// <param name="status">The status object.</param>
    /// <param name="commandsPerSecond">Accepted commands per second since the previous frame, or null on the first.</param>
    /// <param name="endpoint">The engine's control port, for the title.</param>
    public static IRenderable Frame(JsonElement status, double? commandsPerSecond, string endpoint)
    {
        return new Rows(Header(status, commandsPerSecond, endpoint), Slots(status), Events(status));
    }

    /// <summary>A frame saying the engine did not answer.</summary>
    public static IRenderable NoReply(string endpoint, double timeout) =>
        new Markup($"[red]no reply[/] from {Markup.Escape(endpoint)} within {timeout:0.##} s; is `perpetuo play` running with --osc {Markup.Escape(endpoint)}?");

    private static IRenderable Header(JsonElement s, double? cps, string endpoint)
    {
        long seq = s.GetProperty("seq").GetInt64();
        double seconds = (double)seq * s.GetProperty("block_frames").GetInt32() / s.GetProperty("sample_rate").GetInt32();
        long underruns = s.GetProperty("underruns").GetInt64();
        long failovers = s.GetProperty("failovers").GetInt64();
        long divergences = s.GetProperty("divergences").GetInt64();
        string rate = cps is double c ? c.ToString("0.0", CultureInfo.InvariantCulture) : "-";
        string line1 = $"[bold]perpetuo top[/] {Markup.Escape(endpoint)}   block [bold]{seq}[/] ({seconds:0.0} s)   " +
                       $"active slot [bold]{s.GetProperty("active_slot").GetInt32()}[/]";
        string line2 = $"underruns {Warn(underruns)}   failovers {Warn(failovers)}   divergences {Warn(divergences)}   " +
                       $"commands {s.GetProperty("commands_accepted").GetInt64()} ({rate}/s)   " +
                       $"rejected {s.GetProperty("commands_rejected").GetInt64()}   late {s.GetProperty("late_commands").GetInt64()}   " +
                       $"GCs {Warn(s.GetProperty("gc_collections").GetInt64())}";
        return new Markup(line1 + "\n" + line2 + "\n" + Checkpoint(s, seconds) + "\n");
    }

    /// <summary>Where a worker would resume if both died, and what the supervisor holds to get there.</summary>
    private static string Checkpoint(JsonElement s, double nowSeconds)
    {
        if (!s.TryGetProperty("checkpoint_seq", out JsonElement cp) || !s.TryGetProperty("command_log_held", out JsonElement held))
        {
            return "[grey]checkpoints: not reported by this engine[/]";
        }
        long block = cp.GetInt64();
        string where = block < 0
            ? "[yellow]none yet[/] (a worker with no survivor replays from block 0)"
            : $"block {block} ({nowSeconds - ((double)block * s.GetProperty("block_frames").GetInt32() / s.GetProperty("sample_rate").GetInt32()):0.0} s ago)";
        return $"checkpoint {where}   command log holds {held.GetInt32()}";
    }

    private static string Warn(long n) => n == 0 ? "0" : $"[yellow]{n}[/]";

    private static Table Slots(JsonElement s)
    {
        var t = new Table().Border(TableBorder.Simple);
        foreach (string h in new[] { "slot", "role", "pid", "heartbeat", "last block", "level", "misses", "restarts", "recent" })
        {
            t.AddColumn(new TableColumn(h));
        }
        foreach (JsonElement slot in s.GetProperty("slots").EnumerateArray())
        {
            string role = slot.GetProperty("role").GetString() ?? "?";
            int recent = slot.GetProperty("recent_restarts").GetInt32();
            t.AddRow(
                slot.GetProperty("slot").GetInt32().ToString(CultureInfo.InvariantCulture),
                $"[{RoleColor(role)}]{Markup.Escape(role)}[/]",
                slot.GetProperty("pid").GetInt32().ToString(CultureInfo.InvariantCulture),
                $"{slot.GetProperty("heartbeat_age_ms").GetDouble():0.0} ms",
                slot.GetProperty("last_seq").GetInt64().ToString(CultureInfo.InvariantCulture),
                Meter(slot.GetProperty("rms").GetDouble()),
                slot.GetProperty("misses").GetInt64().ToString(CultureInfo.InvariantCulture),
                slot.GetProperty("restarts").GetInt64().ToString(CultureInfo.InvariantCulture),
                role == "backoff" ? $"[red]{recent} (backoff, {BackoffLeft(slot)})[/]" : recent.ToString(CultureInfo.InvariantCulture));
        }
        return t;
    }

    private static string BackoffLeft(JsonElement slot) =>
        slot.TryGetProperty("backoff_ms_left", out JsonElement ms)
            ? (ms.GetDouble() / 1000).ToString("0.0 's left'", CultureInfo.InvariantCulture)
            : "time left not reported";

    private static string RoleColor(string role) => role switch
    {
        "active" => "green",
        "standby" => "blue",
        "starting" or "resyncing" => "yellow",
        _ => "red",
    };

    /// <summary>RMS as a dBFS bar from -60 dB to 0 dB.</summary>
    internal static string Meter(double rms)
    {
        double db = rms > 0 ? 20 * Math.Log10(rms) : double.NegativeInfinity;
        int filled = double.IsNegativeInfinity(db) ? 0 : (int)Math.Round(Math.Clamp((db - MeterFloorDb) / -MeterFloorDb, 0, 1) * MeterWidth);
        string label = double.IsNegativeInfinity(db) ? "  -inf" : db.ToString("0.0", CultureInfo.InvariantCulture).PadLeft(6);
        string color = db > -3 ? "red" : db > -12 ? "yellow" : "green";
        return $"[{color}]{new string('#', filled)}[/][grey]{new string('.', MeterWidth - filled)}[/] {label} dBFS";
    }

    private static IRenderable Events(JsonElement s)
    {
        var lines = new List<string>();
        if (s.TryGetProperty("recent_events", out JsonElement events))
        {
            foreach (JsonElement e in events.EnumerateArray())
            {
                lines.Add(Markup.Escape(EventLine(e)));
            }
        }
        if (lines.Count == 0)
        {
            lines.Add("[grey](none)[/]");
        }
        return new Panel(new Markup(string.Join('\n', lines))) { Header = new PanelHeader("recent events"), Border = BoxBorder.Rounded, Expand = true };
    }

    private static string EventLine(JsonElement e)
    {
        string ts = e.TryGetProperty("ts", out JsonElement t) && t.GetString() is { Length: >= 23 } iso ? iso[11..23] : "";
        var parts = new List<string> { ts, (e.TryGetProperty("event", out JsonElement k) ? k.GetString() : "?") ?? "?" };
        foreach (JsonProperty p in e.EnumerateObject())
        {
            if (p.Name is not ("ts" or "event"))
            {
                parts.Add($"{p.Name}={(p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText())}");
            }
        }
        return string.Join(' ', parts);
    }
}
