namespace Perpetuo.Supervisor.Osc;

/// <summary>The engine's counters as `/perpetuo/levels` reports them: read without building a status report.</summary>
/// <param name="Seq">The next block the callback plays.</param>
/// <param name="ActiveSlot">The slot heard.</param>
/// <param name="Underruns">Blocks no slot had (silence).</param>
/// <param name="Failovers">Switches of the heard slot.</param>
/// <param name="Divergences">Blocks whose hashes differed between slots.</param>
/// <param name="CommandsAccepted">Command records taken (the journal's lines).</param>
/// <param name="GcCollections">Garbage collections of the audio process since the engine started.</param>
/// <param name="Quarantined">Modules quarantined now.</param>
/// <param name="Slots">Worker slots (each in <see cref="IEngineTarget.GlanceSlot"/>).</param>
/// <param name="Channels">Output channels (each in <see cref="IEngineTarget.Peak"/>).</param>
public readonly record struct EngineGlance(
    long Seq, int ActiveSlot, long Underruns, long Failovers, long Divergences, long CommandsAccepted, long GcCollections,
    int Quarantined, int Slots, int Channels);

/// <summary>One slot as `/perpetuo/levels` reports it (the status JSON's slot fields of the same names).</summary>
public readonly record struct SlotGlance(
    Control.SlotRole Role, int Pid, float Rms, long Restarts, double HeartbeatAgeMs, double BackoffMsLeft);
