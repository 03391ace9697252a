namespace Perpetuo.Supervisor.Callback;

/// <summary>Things the audio callback tells the control thread about.</summary>
public enum EngineEventKind
{
    /// <summary>The active slot missed a block and the other slot supplied it.</summary>
    Failover = 1,

    /// <summary>Neither slot had the block: faded silence was played.</summary>
    Underrun,

    /// <summary>Both slots had the block with different hashes.</summary>
    Divergence,

    /// <summary>A slot's ring broke the protocol (bad index, count, sequence, hash, non-finite sample).</summary>
    Faulty,

    /// <summary>A slot missed a block the other slot had.</summary>
    Miss,
}
