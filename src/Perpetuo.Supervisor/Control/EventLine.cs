namespace Perpetuo.Supervisor.Control;

/// <summary>
/// One event as <see cref="EventLog"/> wrote it: the structured fields (for a logger, with no JSON to re-parse) and
/// the exact JSON line of the events file.
/// </summary>
/// <param name="Kind">The event name ("failover", "underrun", ...).</param>
/// <param name="Seq">The block the event belongs to.</param>
/// <param name="Slot">The worker slot, or -1.</param>
/// <param name="Fields">The extra name/value pairs, in the order written.</param>
/// <param name="Json">The line, without its newline.</param>
public sealed record EventLine(string Kind, long Seq, int Slot, IReadOnlyList<(string Name, object? Value)> Fields, string Json);
