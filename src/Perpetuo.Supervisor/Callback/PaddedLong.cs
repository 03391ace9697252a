using System.Runtime.InteropServices;

namespace Perpetuo.Supervisor.Callback;

/// <summary>An index owned by one thread plus that thread's cached copy of the other side's index, alone on a 128-byte line.</summary>
/// <remarks>Mutable struct! Don't make it readonly and don't copy it: fields are accessed by ref.</remarks>
[StructLayout(LayoutKind.Explicit, Size = 128)]
internal struct PaddedLong
{
    [FieldOffset(0)] public long Value;
    [FieldOffset(8)] public long Cached;
}
