namespace Perpetuo.Supervisor.Control;

/// <summary>What every worker of an engine is told alike.</summary>
/// <param name="Wait">The wait strategy name (doorbell, sleep, yield, spin).</param>
/// <param name="Realtime">Render at real-time priority once caught up (when privileged).</param>
/// <param name="Limiter">The output safety stage.</param>
/// <param name="FaultModules">The test-only <c>fault</c> module may be built (play --allow-fault-injection).</param>
public sealed record WorkerSettings(string Wait = "doorbell", bool Realtime = true, bool Limiter = true, bool FaultModules = false);
