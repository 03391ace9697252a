namespace Perpetuo.Supervisor.Control;

/// <summary>Where a slot is in its worker's life cycle (control thread's bookkeeping).</summary>
internal enum SlotPhase
{
    /// <summary>No worker; a restart is due (after the callback has moved on).</summary>
    Dead,
    /// <summary>No worker; waiting out a restart backoff.</summary>
    Backoff,
    /// <summary>The survivor was asked for a snapshot; the new worker is spawned when it arrives.</summary>
    AwaitSnapshot,
    /// <summary>A worker process is being started (off the control thread).</summary>
    Spawning,
    /// <summary>A worker process is attached.</summary>
    Running,
    /// <summary>SIGKILL sent; waiting for the process to be gone.</summary>
    Dying,
}
