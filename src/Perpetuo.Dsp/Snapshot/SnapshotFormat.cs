namespace Perpetuo.Dsp;

/// <summary>
/// Constants and checksum of the snapshot format.
/// Layout (little-endian): magic "PDSP", int32 version, int32 sampleRate, int32 channels, int32 moduleCount,
/// per module { string type, string id, bool quarantined, int32 paramCount, per param { f32 rampStart, f32 target, i32 rampFrames,
/// i32 framesLeft } (settled: target, target, 0, 0; the current value is derived, see ParamState), module state
/// (type-specific, see each module's WriteState) }, then uint64 FNV-1a of all preceding bytes.
/// Strings are int32 length + UTF-8. Bump <see cref="Version"/> on any change.
/// </summary>
internal static class SnapshotFormat
{
    /// <summary>"PDSP" read as a little-endian uint32.</summary>
    public const uint Magic = 0x50534450;
    public const int Version = 3; // 2: ramps as (start, target, frames, left) instead of (current, target, step, left); 3: quarantined
    public const int MaxModules = Perpetuo.Protocol.Limits.MaxModules; // the supervisor never lets a chain grow past it
    public const int MaxStringBytes = 256;
    public const int ChecksumBytes = 8;

    /// <summary>64-bit FNV-1a; catches truncation and random corruption before parsing.</summary>
    public static ulong Checksum(ReadOnlySpan<byte> data)
    {
        ulong h = 14695981039346656037UL;
        foreach (byte b in data)
        {
            h = (h ^ b) * 1099511628211UL;
        }

        return h;
    }
}
