using Perpetuo.Protocol;

namespace Perpetuo.Control.Journal;

/// <summary>One accepted command with the block and frame at which it took effect.</summary>
public sealed record JournalEntry(long Block, int Frame, CommandKind Kind, string Id, string Name, float Value, float Value2);
