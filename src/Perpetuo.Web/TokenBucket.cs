using System.Diagnostics;

namespace Perpetuo.Web;

/// <summary>
/// A rate limit: <see cref="PerSecond"/> tokens a second, at most that many saved up (a burst of one second's worth).
/// Pure: the time is passed in (Stopwatch ticks), so a test drives it exactly.
/// </summary>
/// <remarks>Not thread-safe: one owner (a page's receive loop, the engine link's thread).</remarks>
public sealed class TokenBucket
{
    private readonly long _frequency;
    private double _tokens;
    private long _at;

    public TokenBucket(int perSecond, long now, long frequency = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(perSecond, 1);
        PerSecond = perSecond;
        _frequency = frequency > 0 ? frequency : Stopwatch.Frequency;
        _tokens = perSecond;
        _at = now;
    }

    public int PerSecond { get; }

    /// <summary>Takes one token if there is one.</summary>
    public bool TryTake(long now)
    {
        if (now > _at)
        {
            _tokens = Math.Min(PerSecond, _tokens + ((double)(now - _at) * PerSecond / _frequency));
            _at = now;
        }
        if (_tokens < 1)
        {
            return false;
        }
        _tokens--;
        return true;
    }

    /// <summary>Ticks until a token is there (0 when one is).</summary>
    public long WaitTicks(long now)
    {
        double tokens = Math.Min(PerSecond, _tokens + ((double)Math.Max(0, now - _at) * PerSecond / _frequency));
        return tokens >= 1 ? 0 : (long)Math.Ceiling((1 - tokens) * _frequency / PerSecond);
    }
}
