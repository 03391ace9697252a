using System.Runtime.CompilerServices;

namespace Perpetuo.Dsp;

/// <summary>
/// Live value of one parameter: where it is, where it is going, and how many frames of linear ramp remain.
/// Design: the ramp advances once per frame (not per block), so the output does not depend on how the host
/// splits blocks at command offsets. Each frame's value is computed from exact integer progress, never
/// accumulated: value(r) = Target - Slope·r in double, r = frames remaining, Slope = (Target - Start) / Total.
/// Accumulating a float step stalls once the step is below the resolution of the value (19999 -> 20000 over
/// 600 s at 48 kHz: step 3.5e-8, ulp 2e-3) and then jumps at the end, or, where rounding goes the other way,
/// runs past the target and the parameter's maximum. Computed from progress the value is monotonic, within a
/// float ulp of the exact line, never beyond Target (Slope·r has the sign of the ramp for every r ≥ 1), and a
/// pure function of (Start, Target, Total, Remaining), which is exactly what a snapshot stores.
/// </summary>
// Mutable struct! Modules copy it into a local, call Next() per frame and store it back; don't make it readonly.
internal struct ParamState
{
    /// <summary>Value at the most recently rendered frame.</summary>
    public float Current;

    /// <summary>Value the ramp ends on; what the parameter is "set to".</summary>
    public float Target;

    /// <summary>Value the ramp started from (its frame 0, already rendered when the ramp began).</summary>
    public float Start;

    /// <summary>Length of the ramp in frames; meaningless once settled.</summary>
    public int Total;

    /// <summary>Frames of ramp left; 0 = settled (Current == Target).</summary>
    public int Remaining;

    /// <summary>(Target - Start) / Total, derived by <see cref="Begin"/>; never 0 while ramping.</summary>
    private double _slope;

    /// <summary>True when not ramping; loops may then read <see cref="Current"/> once.</summary>
    public readonly bool IsSettled => Remaining == 0;

    /// <summary>Advances one frame and returns the value for it. The last ramp frame lands exactly on Target.</summary>
    /// <remarks>Audio thread. Wait-free, allocation-free.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Next()
    {
        if (Remaining > 0)
        {
            Current = --Remaining == 0 ? Target : ValueAt(Remaining);
        }

        return Current;
    }

    /// <summary>Starts a linear ramp from <see cref="Current"/> to <paramref name="target"/> over <paramref name="frames"/> frames (0 = jump).</summary>
    /// <remarks>Audio thread. Allocation-free.</remarks>
    public void RampTo(float target, int frames)
    {
        Target = target;
        if (frames <= 0 || Current == target)
        {
            Settle();
            return;
        }

        Begin(Current, target, frames, frames);
    }

    /// <summary>Jumps to the target and stops ramping.</summary>
    public void Settle()
    {
        Current = Target;
        Start = Target;
        Total = 0;
        Remaining = 0;
        _slope = 0;
    }

    /// <summary>
    /// Puts the state at frame <c>total - remaining</c> of the ramp <paramref name="start"/> -> <paramref name="target"/>
    /// over <paramref name="total"/> frames: the same state, bit for bit, as a ramp rendered up to there
    /// (snapshots restore through this). Requires start != target and 1 ≤ remaining ≤ total.
    /// </summary>
    public void Begin(float start, float target, int total, int remaining)
    {
        Start = start;
        Target = target;
        Total = total;
        Remaining = remaining;
        _slope = ((double)target - start) / total;
        Current = remaining == total ? start : ValueAt(remaining);
    }

    /// <summary>The ramp's value with <paramref name="remaining"/> frames to go (1 ≤ remaining &lt; Total).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly float ValueAt(int remaining)
    {
        // Never beyond Target: Slope·remaining is nonzero with the ramp's sign, and float rounding is monotonic.
        // It can fall short of Start only when Target - Start was rounded in double (far-apart magnitudes), so
        // that side alone is clamped.
        float v = (float)(Target - (_slope * remaining));
        return _slope > 0 ? (v < Start ? Start : v) : (v > Start ? Start : v);
    }
}
