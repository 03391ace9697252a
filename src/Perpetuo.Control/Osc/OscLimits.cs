namespace Perpetuo.Control.Osc;

/// <summary>Hard limits the codec enforces on every packet it reads or writes.</summary>
public static class OscLimits
{
    /// <summary>
    /// Largest packet accepted, in bytes. A UDP datagram carries at most 65,507 bytes, so anything larger did not
    /// come from a datagram and is rejected before a single size field is trusted.
    /// </summary>
    public const int MaxPacketLength = 65536;

    /// <summary>
    /// Deepest bundle nesting accepted; a top-level bundle has depth 1. Bounds the recursion of the walker and
    /// the writer's element stack.
    /// </summary>
    public const int MaxBundleDepth = 8;
}
