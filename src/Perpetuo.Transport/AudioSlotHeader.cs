using System.Runtime.InteropServices;

namespace Perpetuo.Transport;

/// <summary>The header of one audio block in the ring; the block's interleaved float samples follow it.</summary>
/// <remarks>
/// <see cref="Seq"/> doubles as a seqlock: the producer writes -1 before it touches the samples and the block's
/// sequence number after, so a consumer that sees the same sequence before and after its copy read a whole block.
/// </remarks>
[StructLayout(LayoutKind.Explicit, Size = Size)]
public struct AudioSlotHeader
{
    /// <summary>Bytes before the samples (keeps samples 64-byte aligned).</summary>
    public const int Size = 64;

    [FieldOffset(0)] public long Seq;
    [FieldOffset(8)] public int Frames;
    [FieldOffset(12)] public int Channels;
    [FieldOffset(16)] public ulong Hash;
}
