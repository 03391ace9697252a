using System.Runtime.CompilerServices;

namespace Perpetuo.Dsp;

/// <summary>
/// Live value of one parameter: where it is, where it is going, and how many frames of linear ramp remain.
/// Design: the ramp advances once per frame (not per block), so the output does not depend on how the host
/// splits blocks at command offsets, and a snapshot can capture ramp progress exactly (Current, Step, Remaining).
/// </summary>
// Mutable struct! Modules copy it into a local, call Next() per frame and store it back; don't make it readonly.
internal struct ParamState
{
    /// <summary>Value at the most recently rendered frame.</summary>
    public float Current;

    /// <summary>Value the ramp ends on; what the parameter is "set to".</summary>
    public float Target;

    /// <summary>Increment per frame while ramping.</summary>
    public float Step;

    /// <summary>Frames of ramp left; 0 = settled (Current == Target).</summary>
    public int Remaining;

    /// <summary>True when not ramping; loops may then read <see cref="Current"/> once.</summary>
    public readonly bool IsSettled => Remaining == 0;

    /// <summary>Advances one frame and returns the value for it. The last ramp frame lands exactly on Target.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Next()
    {
        if (Remaining > 0)
        {
            Current = --Remaining == 0 ? Target : Current + Step;
        }

        return Current;
    }

    /// <summary>Starts a linear ramp to <paramref name="target"/> over <paramref name="frames"/> frames (0 = jump).</summary>
    public void RampTo(float target, int frames)
    {
        Target = target;
        if (frames <= 0 || Current == target)
        {
            Settle();
            return;
        }

        Step = (target - Current) / frames;
        Remaining = frames;
    }

    /// <summary>Jumps to the target and stops ramping.</summary>
    public void Settle()
    {
        Current = Target;
        Step = 0;
        Remaining = 0;
    }
}
