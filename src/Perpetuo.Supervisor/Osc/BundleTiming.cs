using Perpetuo.Control.Osc;
using Perpetuo.Protocol;

namespace Perpetuo.Supervisor.Osc;

// Design: a bundle's time tag names the moment its sample should *leave the audio callback*. The control thread
// knows two clocks: the wall clock of the tag (mapped to Stopwatch ticks through an OscTimeReference captured
// just before) and the block clock (the callback's NextSeq). It assumes block NextSeq starts leaving the
// callback now, so a tag d seconds ahead lands ceil(d * rate) frames after the start of block NextSeq. The
// callback's phase inside its period is not visible here, so the mapping can be early by up to one block period;
// it is exact relative to other bundles mapped in the same tick, and the output device's own latency is not
// added. Sample-exact relative timing between bundles therefore holds to within the same one-block jitter.

/// <summary>Maps a bundle time tag to the (block, frame) at which its commands take effect.</summary>
/// <remarks>Control thread. Pure arithmetic; allocation-free.</remarks>
public static class BundleTiming
{
    /// <summary>
    /// The block and frame for <paramref name="tag"/>: block -1 for <see cref="OscTimeTag.Immediate"/> (as soon as
    /// possible); otherwise <c>nextBlock + ceil(delay * rate) / blockFrames</c>, which for a tag already past is a
    /// block in the past (never below 0), so the engine applies it at once and counts it late.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The tag is more than <see cref="Limits.MaxScheduleAheadSeconds"/> ahead (see <see cref="TryMap"/>).</exception>
    public static (long Block, int Frame) Map(OscTimeTag tag, OscTimeReference reference, long nowTimestamp,
                                             long nextBlock, int sampleRate, int blockFrames) =>
        TryMap(tag, reference, nowTimestamp, nextBlock, sampleRate, blockFrames, out long block, out int frame)
            ? (block, frame)
            : throw new ArgumentOutOfRangeException(nameof(tag), $"more than {Limits.MaxScheduleAheadSeconds} s ahead");

    /// <summary>
    /// As <see cref="Map"/>; false for a tag more than <see cref="Limits.MaxScheduleAheadSeconds"/> ahead, which is
    /// refused rather than played early (NTP era arithmetic cannot tell a tag decades ahead from one in the past).
    /// </summary>
    public static bool TryMap(OscTimeTag tag, OscTimeReference reference, long nowTimestamp, long nextBlock, int sampleRate,
                              int blockFrames, out long block, out int frame)
    {
        (block, frame) = (-1, 0);
        if (tag.IsImmediate)
        {
            return true;
        }
        double seconds = reference.DelayUntil(tag, nowTimestamp).TotalSeconds;
        if (seconds > Limits.MaxScheduleAheadSeconds)
        {
            return false;
        }
        // Long past tags are clamped to a day back so the arithmetic stays in range: they apply at once either way.
        double frames = Math.Ceiling(Math.Max(seconds, -86_400.0) * sampleRate);
        long total = (long)frames;
        long at = nextBlock + Math.DivRem(total, blockFrames, out long within);
        if (within < 0)
        {
            at--;
            within += blockFrames;
        }
        (block, frame) = at < 0 ? (0, 0) : (at, (int)within);
        return true;
    }
}
