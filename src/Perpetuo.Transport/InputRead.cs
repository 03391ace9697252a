namespace Perpetuo.Transport;

/// <summary>What a reader of an input ring found for the block it asked for.</summary>
public enum InputRead
{
    /// <summary>The block's input was copied whole.</summary>
    Ready,

    /// <summary>Not written yet: the callback has not reached it.</summary>
    NotYet,

    /// <summary>Overwritten (the reader fell a whole ring behind) or malformed: it will never be there.</summary>
    Lost,
}
