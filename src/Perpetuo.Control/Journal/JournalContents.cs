namespace Perpetuo.Control.Journal;

/// <summary>
/// A journal as read: its session line (null in a journal written before it had one), its commands, and the plugins
/// the session played (their <c>plugin</c> lines, in the order written).
/// </summary>
public sealed record JournalContents(JournalHeader? Session, IReadOnlyList<JournalEntry> Entries)
{
    /// <summary>Every plugin the session played (none in a journal written before journals named them).</summary>
    public IReadOnlyList<JournalPlugin> Plugins { get; init; } = [];
}
