using System.Collections.Concurrent;
using System.Text.Json;

namespace Perpetuo.Cli.Demo;

/// <summary>
/// Turns the engine's event stream (JSON lines, written on the control thread) into one plain sentence each, and
/// keeps what the verdict and the report need: the failovers with their blocks, and a count per event kind.
/// </summary>
/// <remarks>
/// The control thread only enqueues each line (<see cref="OnEvent"/>); parsing and printing happen on the script
/// thread in <see cref="Pump"/>, so a console write or a first-time JIT never stalls a control tick.
/// </remarks>
internal sealed class DemoNarrator
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly List<FailoverMark> _failovers = [];
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly DemoClock _clock;
    private readonly Action<string> _say;

    public DemoNarrator(DemoClock clock, Action<string> say)
    {
        _clock = clock;
        _say = say;
        _lines.Enqueue("");
        _lines.TryDequeue(out _); // warm the queue on this thread: the control thread's first enqueue compiles nothing
    }

    /// <summary>The failovers seen, in order. Script thread.</summary>
    public IReadOnlyList<FailoverMark> Failovers => _failovers;

    /// <summary>How many events of <paramref name="kind"/> were seen. Script thread.</summary>
    public int Count(string kind) => _counts.GetValueOrDefault(kind);

    /// <summary>Takes one event line. Control thread: an enqueue, nothing else.</summary>
    public void OnEvent(string line) => _lines.Enqueue(line);

    /// <summary>Counts and prints the lines received so far. Script thread.</summary>
    public void Pump()
    {
        while (_lines.TryDequeue(out string? line))
        {
            Handle(line);
        }
    }

    private void Handle(string line)
    {
        using JsonDocument doc = JsonDocument.Parse(line);
        JsonElement e = doc.RootElement;
        string kind = e.GetProperty("event").GetString() ?? "";
        long seq = e.GetProperty("seq").GetInt64();
        int slot = e.TryGetProperty("slot", out JsonElement s) ? s.GetInt32() : -1;
        _counts[kind] = _counts.GetValueOrDefault(kind) + 1;
        if (kind == "failover")
        {
            _failovers.Add(new FailoverMark(seq, e.GetProperty("from").GetInt32(), e.GetProperty("to").GetInt32()));
        }
        string? text = Describe(kind, e, slot, seq);
        if (text != null)
        {
            _say($"{_clock.At(seq)}    {text}");
        }
    }

    private string? Describe(string kind, JsonElement e, int slot, long seq) => kind switch
    {
        "failover" => $"FAILOVER #{Count("failover")}: block {seq} is played from slot {Int(e, "to")} (slot {Int(e, "from")} stopped delivering) — no gap",
        "exited" => $"slot {slot}: worker {Int(e, "pid")} is gone (exit code {Int(e, "code")})",
        "hung" => $"slot {slot}: worker {Int(e, "pid")} HANG detected (no heartbeat for {Num(e, "silent_ms"):0.#} ms): SIGKILL",
        "killed" => $"slot {slot}: worker {Int(e, "pid")} killed by the supervisor ({Str(e, "reason")})",
        "respawned" => $"slot {slot}: new worker {Int(e, "pid")} started from slot {Int(e, "from_snapshot_of")}'s snapshot of block {Int(e, "snapshot_seq")} ({Int(e, "snapshot_bytes")} bytes)",
        "resynced" => $"slot {slot}: worker {Int(e, "pid")} verified ({Int(e, "verified_blocks")} blocks identical by hash): standby again",
        "recovered" => $"slot {slot}: worker {Int(e, "pid")} caught up from block 0: playing again",
        "underrun" => Count("underrun") <= 5 ? $"UNDERRUN at block {seq} (neither worker had it: faded silence)" : null,
        "underruns" => $"... {Int(e, "count")} more underruns, blocks {Int(e, "first")}..{Int(e, "last")} (one line a second at most)",
        "divergence" => $"DIVERGENCE: slot {slot} rendered block {seq} differently",
        "faulty" => $"slot {slot}: ring failed verification at block {seq}: that worker is replaced",
        "slow" => $"slot {slot}: worker too slow ({Int(e, "misses")} blocks missed)",
        "backoff" => $"slot {slot}: restarting too often, waiting {Num(e, "delay_ms"):0} ms",
        "spawn_failed" => $"slot {slot}: could not start a worker: {Str(e, "error")}",
        _ => null, // started, slow_tick: not news for a newcomer
    };

    private static long Int(JsonElement e, string name) => e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : -1;

    private static double Num(JsonElement e, string name) => e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : double.NaN;

    private static string Str(JsonElement e, string name) => e.TryGetProperty(name, out JsonElement v) ? v.ToString() : "";
}
