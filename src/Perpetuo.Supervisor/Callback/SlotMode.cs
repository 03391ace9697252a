namespace Perpetuo.Supervisor.Callback;

/// <summary>What the audio callback may do with a slot's ring, as set by the control thread.</summary>
public enum SlotMode
{
    /// <summary>Ignore the ring (no worker, or one being replaced). Its read position is still advanced.</summary>
    Off = 0,

    /// <summary>Compare the worker's block hashes with the block played, never play its audio (a resyncing worker).</summary>
    VerifyOnly = 1,

    /// <summary>Play from it when it is the active slot or when the active one misses a block.</summary>
    Readable = 2,
}
