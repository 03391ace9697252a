using System.Diagnostics;

namespace Perpetuo.Supervisor.Control;

/// <summary>
/// Erlang/OTP-style restart intensity for one slot: at most <see cref="MaxRestarts"/> restarts within
/// <see cref="Window"/>; past that, exponential backoff (doubling from <see cref="BaseBackoff"/> up to
/// <see cref="MaxBackoff"/>) before each further attempt, reset once the slot has been healthy for a window.
/// </summary>
public sealed class RestartPolicy
{
    private readonly Queue<long> _recent = new();
    private int _backoffs;

    public int MaxRestarts { get; init; } = 5;

    public TimeSpan Window { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan BaseBackoff { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Restarts in the current window.</summary>
    public int RecentRestarts => _recent.Count;

    /// <summary>
    /// Records a restart wanted at <paramref name="now"/> (Stopwatch ticks) and returns how long to wait before it
    /// (zero while within the intensity limit).
    /// </summary>
    public TimeSpan OnRestart(long now)
    {
        long window = (long)(Window.TotalSeconds * Stopwatch.Frequency);
        while (_recent.Count > 0 && now - _recent.Peek() > window)
        {
            _recent.Dequeue();
        }
        if (_recent.Count == 0)
        {
            _backoffs = 0;
        }
        _recent.Enqueue(now);
        if (_recent.Count <= MaxRestarts)
        {
            return TimeSpan.Zero;
        }
        double ms = BaseBackoff.TotalMilliseconds * Math.Pow(2, _backoffs);
        _backoffs++;
        return TimeSpan.FromMilliseconds(Math.Min(ms, MaxBackoff.TotalMilliseconds));
    }
}
