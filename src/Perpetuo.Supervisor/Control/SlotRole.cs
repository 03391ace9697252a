namespace Perpetuo.Supervisor.Control;

/// <summary>A slot's role as shown in status.</summary>
public enum SlotRole
{
    /// <summary>Its blocks are being played.</summary>
    Active,
    /// <summary>Verified in lockstep with the active slot; takes over when a block is missing.</summary>
    Standby,
    /// <summary>Worker spawned, not yet rendering.</summary>
    Starting,
    /// <summary>Worker brought to the survivor's state, being verified by block hashes.</summary>
    Resyncing,
    /// <summary>Restarted too often: waiting before the next attempt.</summary>
    Backoff,
    /// <summary>Its ring broke the protocol; being replaced.</summary>
    Faulty,
    /// <summary>No worker.</summary>
    Dead,
}
