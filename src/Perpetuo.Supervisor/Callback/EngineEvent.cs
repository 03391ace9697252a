namespace Perpetuo.Supervisor.Callback;

/// <summary>One event from the audio callback: what, which slot (and the other one), at which block.</summary>
public readonly record struct EngineEvent(EngineEventKind Kind, int Slot, int OtherSlot, long Seq);
