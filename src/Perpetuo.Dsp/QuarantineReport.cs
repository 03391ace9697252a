using Perpetuo.Protocol;

namespace Perpetuo.Dsp;

/// <summary>A module the host quarantined by itself during a block: its id, why, and the frame of the segment it failed in.</summary>
public readonly record struct QuarantineReport(string ModuleId, QuarantineReason Reason, int Frame)
{
    /// <summary>The id in UTF-8 (the module's own bytes): what the worker copies into its region without encoding.
    /// Derived from <see cref="ModuleId"/>, so not part of equality.</summary>
    public ReadOnlyMemory<byte> ModuleIdUtf8 { get; init; }

    public bool Equals(QuarantineReport other) =>
        string.Equals(ModuleId, other.ModuleId, StringComparison.Ordinal) && Reason == other.Reason && Frame == other.Frame;

    public override int GetHashCode() => HashCode.Combine(ModuleId, Reason, Frame);
}
