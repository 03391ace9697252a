using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Perpetuo.Transport;

/// <summary>
/// One module a worker quarantined by itself (a NaN or an exception at the module's boundary), as it reports it
/// in its region: <see cref="RegionHeader.QuarantineReports"/>, slot <c>n % 8</c> for the n-th report.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = Size)]
public struct QuarantineEntry
{
    public const int Size = 64;

    [FieldOffset(0)] public long Block;
    [FieldOffset(8)] public int Frame;
    /// <summary>A <see cref="Perpetuo.Protocol.QuarantineReason"/>.</summary>
    [FieldOffset(12)] public int Reason;
    [FieldOffset(16)] public int IdLength;
    [FieldOffset(20)] public CommandRecord.IdBytes Id;
}

/// <summary>The report slots of a region: a ring of <see cref="RegionHeader.QuarantineSlots"/> entries.</summary>
[InlineArray(RegionHeader.QuarantineSlots)]
public struct QuarantineReports
{
    private QuarantineEntry _element;
}
