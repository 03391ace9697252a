using System.Diagnostics;

namespace Perpetuo.Supervisor.Tests.Simulation;

/// <summary>The simulation's time, in Stopwatch ticks (what the engine's control thread is given), from an arbitrary start.</summary>
internal sealed class SimClock
{
    public long Now { get; private set; } = Stopwatch.Frequency * 1000; // far from 0: nothing may mistake it for "never"

    public static long Ms(double ms) => (long)(ms * Stopwatch.Frequency / 1000);

    public void Advance(long ticks) => Now += ticks;
}
