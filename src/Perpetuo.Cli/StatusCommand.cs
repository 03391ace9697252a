using System.Text.Json;
using Perpetuo.Control.Commands;

namespace Perpetuo.Cli;

/// <summary>`status`: the running engine's status, as a table or the raw JSON.</summary>
internal static class StatusCommand
{
    private const string Description = """
        show a running engine's status

        Asks a running `perpetuo play` for its status (/perpetuo/status) and prints a summary and one line per
        worker slot, or with --json the JSON object documented in docs/protocol.md.

        Examples:
          perpetuo status
          perpetuo status --json --osc 127.0.0.1:57131
        """;

    /// <summary>The `status` verb: its options, help and action.</summary>
    public static System.CommandLine.Command Create() =>
        OscClient.QueryCommand("status", Description, "print the status JSON object documented in docs/protocol.md", ControlAddresses.Status, PrintTable);

    // The build sets InvariantGlobalization, so interpolated numbers below are culture-invariant.

    private static void PrintTable(JsonElement s)
    {
        long seq = s.GetProperty("seq").GetInt64();
        double seconds = (double)seq * s.GetProperty("block_frames").GetInt32() / s.GetProperty("sample_rate").GetInt32();
        Console.WriteLine(($"block {seq} ({seconds:0.0} s)  active slot {s.GetProperty("active_slot").GetInt32()}  " +
                              $"underruns {s.GetProperty("underruns").GetInt64()}  failovers {s.GetProperty("failovers").GetInt64()}  " +
                              $"divergences {s.GetProperty("divergences").GetInt64()}  GCs {s.GetProperty("gc_collections").GetInt64()}"));
        Console.WriteLine(($"commands: {s.GetProperty("commands_accepted").GetInt64()} accepted, " +
                              $"{s.GetProperty("commands_rejected").GetInt64()} rejected, {s.GetProperty("late_commands").GetInt64()} late"));
        if (s.TryGetProperty("osc", out JsonElement osc))
        {
            Console.WriteLine(($"osc {osc.GetProperty("endpoint").GetString()}: {osc.GetProperty("packets").GetInt64()} packets, " +
                                  $"{osc.GetProperty("malformed").GetInt64()} malformed"));
        }
        Console.WriteLine("slot  pid      role      last_seq  heartbeat_ms  rms       restarts  misses  faults");
        foreach (JsonElement slot in s.GetProperty("slots").EnumerateArray())
        {
            Console.WriteLine(($"{slot.GetProperty("slot").GetInt32(),-5} {slot.GetProperty("pid").GetInt32(),-8} " +
                                  $"{slot.GetProperty("role").GetString(),-9} {slot.GetProperty("last_seq").GetInt64(),-9} " +
                                  $"{slot.GetProperty("heartbeat_age_ms").GetDouble(),-13:0.0} {slot.GetProperty("rms").GetDouble(),-9:0.0000} " +
                                  $"{slot.GetProperty("restarts").GetInt32(),-9} {slot.GetProperty("misses").GetInt64(),-7} {slot.GetProperty("faults").GetInt64()}"));
        }
    }
}
