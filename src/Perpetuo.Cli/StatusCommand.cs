using Perpetuo.Control.Commands;
using Perpetuo.Supervisor.Control;

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
        OscClient.QueryCommand("status", Description, "print the status JSON object documented in docs/protocol.md", ControlAddresses.Status,
                                  StatusJsonContext.Default.EngineStatus, PrintTable);

    // The build sets InvariantGlobalization, so interpolated numbers below are culture-invariant.

    private static void PrintTable(EngineStatus s)
    {
        double seconds = (double)s.Seq * s.BlockFrames / s.SampleRate;
        Console.WriteLine($"block {s.Seq} ({seconds:0.0} s)  active slot {s.ActiveSlot}  " +
                          $"underruns {s.Underruns}  failovers {s.Failovers}  " +
                          $"divergences {s.Divergences}  GCs {s.GcCollections}");
        Console.WriteLine($"commands: {s.CommandsAccepted} accepted, {s.CommandsRejected} rejected, {s.LateCommands} late");
        if (s.Osc is OscStatus osc)
        {
            Console.WriteLine($"osc {osc.Endpoint}: {osc.Packets} packets, {osc.Malformed} malformed");
        }
        Console.WriteLine("slot  pid      role      last_seq  heartbeat_ms  rms       restarts  misses  faults");
        foreach (SlotStatus slot in s.Slots)
        {
            Console.WriteLine($"{slot.Slot,-5} {slot.Pid,-8} {RoleName(slot.Role),-9} {slot.LastSeq,-9} " +
                              $"{slot.HeartbeatAgeMs,-13:0.0} {slot.Rms,-9:0.0000} {slot.Restarts,-9} {slot.Misses,-7} {slot.Faults}");
        }
    }

    /// <summary>A role as the status JSON names it (lowercase).</summary>
    internal static string RoleName(SlotRole role) => role.ToString().ToLowerInvariant();
}
