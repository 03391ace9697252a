namespace Perpetuo.Control.Journal;

/// <summary>A journal as read: its session line (null in a journal written before it had one) and its commands.</summary>
public sealed record JournalContents(JournalSession? Session, IReadOnlyList<JournalEntry> Entries);
