using System.Globalization;
using System.Text.Json;
using Perpetuo.Supervisor.Control;
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
    public static IRenderable Frame(EngineStatus status, double? commandsPerSecond, string endpoint)
    {
        return new Rows(Header(status, commandsPerSecond, endpoint), Slots(status), Events(status));
    }

    /// <summary>A frame saying the engine did not answer.</summary>
    public static IRenderable NoReply(string endpoint, double timeout) =>
        new Markup($"[red]no reply[/] from {Markup.Escape(endpoint)} within {timeout:0.##} s; is `perpetuo play` running with --osc {Markup.Escape(endpoint)}?");

    private static IRenderable Header(EngineStatus s, double? cps, string endpoint)
    {
        double seconds = Seconds(s, s.Seq);
        string rate = cps is double c ? c.ToString("0.0", CultureInfo.InvariantCulture) : "-";
        string line1 = $"[bold]perpetuo top[/] {Markup.Escape(endpoint)}   block [bold]{s.Seq}[/] ({seconds:0.0} s)   " +
                       $"active slot [bold]{s.ActiveSlot}[/]";
        string line2 = $"underruns {Warn(s.Underruns)}   failovers {Warn(s.Failovers)}   divergences {Warn(s.Divergences)}   " +
                       $"commands {s.CommandsAccepted} ({rate}/s)   " +
                       $"rejected {s.CommandsRejected}   late {s.LateCommands}   " +
                       $"GCs {Warn(s.GcCollections)}";
        return new Markup(line1 + "\n" + line2 + "\n" + Checkpoint(s, seconds) + "\n" + Quarantined(s) + "\n");
    }

    /// <summary>The modules bypassed after a deterministic fault, and how to bring one back.</summary>
    private static string Quarantined(EngineStatus s)
    {
        if (s.Quarantined.Count == 0)
        {
            return "quarantined none";
        }
        string list = string.Join(", ", s.Quarantined.Select(q =>
            $"[red]{Markup.Escape(q.Module)}[/] ({Markup.Escape(q.Reason)} at block {q.Block.ToString(CultureInfo.InvariantCulture)})"));
        return $"quarantined {list}   [grey]bypassed; send /perpetuo/module/restore ID to bring one back[/]";
    }

    private static double Seconds(EngineStatus s, long block) => s.SampleRate > 0 ? (double)block * s.BlockFrames / s.SampleRate : 0;

    /// <summary>Where a worker would resume if both died, and what the supervisor holds to get there.</summary>
    private static string Checkpoint(EngineStatus s, double nowSeconds)
    {
        string where = s.CheckpointSeq < 0
            ? "[yellow]none yet[/] (a worker with no survivor replays from block 0)"
            : $"block {s.CheckpointSeq} ({nowSeconds - Seconds(s, s.CheckpointSeq):0.0} s ago)";
        return $"checkpoint {where}   command log holds {s.CommandLogHeld}{(s.CommandLogSpilled > 0 ? $" (+{s.CommandLogSpilled} on disk)" : "")}";
    }

    private static string Warn(long n) => n == 0 ? "0" : $"[yellow]{n}[/]";

    private static Table Slots(EngineStatus s)
    {
        var t = new Table().Border(TableBorder.Simple);
        foreach (string h in new[] { "slot", "role", "pid", "heartbeat", "last block", "level", "misses", "restarts", "recent" })
        {
            t.AddColumn(new TableColumn(h));
        }
        foreach (SlotStatus slot in s.Slots)
        {
            string role = StatusCommand.RoleName(slot.Role);
            int recent = slot.RecentRestarts;
            t.AddRow(
                slot.Slot.ToString(CultureInfo.InvariantCulture),
                $"[{RoleColor(role)}]{Markup.Escape(role)}[/]",
                slot.Pid.ToString(CultureInfo.InvariantCulture),
                $"{slot.HeartbeatAgeMs:0.0} ms",
                slot.LastSeq.ToString(CultureInfo.InvariantCulture),
                Meter(slot.Rms),
                slot.Misses.ToString(CultureInfo.InvariantCulture),
                slot.Restarts.ToString(CultureInfo.InvariantCulture),
                slot.Role == SlotRole.Backoff ? $"[red]{recent} (backoff, {BackoffLeft(slot)})[/]" : recent.ToString(CultureInfo.InvariantCulture));
        }
        return t;
    }

    private static string BackoffLeft(SlotStatus slot) => (slot.BackoffMsLeft / 1000).ToString("0.0 's left'", CultureInfo.InvariantCulture);

    private static string RoleColor(string role) => role switch
    {
        "active" => "green",
        "standby" => "blue",
        "trailing" => "cyan",
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

    private static IRenderable Events(EngineStatus s)
    {
        var lines = new List<string>();
        foreach (string line in s.RecentEvents)
        {
            using JsonDocument e = JsonDocument.Parse(line); // an event's own fields vary by kind: no fixed schema
            lines.Add(Markup.Escape(EventLine(e.RootElement)));
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
