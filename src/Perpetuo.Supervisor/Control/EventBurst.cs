namespace Perpetuo.Supervisor.Control;

/// <summary>Events of one kind that <see cref="EventCoalescer"/> held back: how many, and their first and last block.</summary>
public readonly record struct EventBurst(long Count, long First, long Last);
