namespace Perpetuo.Transport;

/// <summary>What a consumer found when it asked a ring for a block.</summary>
public enum ReadResult
{
    /// <summary>The block was there, whole, and was copied out and verified.</summary>
    Ok = 0,

    /// <summary>The block is not there (yet, or any more): a normal condition.</summary>
    Missing = 1,

    /// <summary>The producer broke the protocol: an index, count, sequence or hash that cannot be right, or a
    /// non-finite sample. The slot must be treated as faulty.</summary>
    Faulty = 2,
}
