using System.Diagnostics;
using Perpetuo.Protocol;

namespace Perpetuo.Supervisor.Osc;

/// <summary>
/// What the control port may send back: at most <see cref="Limits.RepliesPerPacket"/> replies to one datagram, and
/// at most <see cref="Limits.ReplyBytesPerSecond"/> bytes a second in all (a token bucket holding one second's
/// worth). A tiny request can ask for a large reply (a status is kilobytes): without a budget the port is an
/// amplifier, and sending thousands of replies stalls the control thread.
/// </summary>
/// <remarks>Control thread only. Pure arithmetic over the timestamps it is given; allocation-free.</remarks>
internal sealed class ReplyBudget
{
    private readonly long _bytesPerSecond;
    private readonly long _frequency;
    private double _tokens;
    private long _refilledAt;
    private int _packetReplies;

    public ReplyBudget(long bytesPerSecond = Limits.ReplyBytesPerSecond, long frequency = 0, long now = 0)
    {
        _bytesPerSecond = bytesPerSecond;
        _frequency = frequency > 0 ? frequency : Stopwatch.Frequency;
        _tokens = bytesPerSecond;
        _refilledAt = now;
    }

    /// <summary>A new datagram is being handled.</summary>
    public void BeginPacket() => _packetReplies = 0;

    /// <summary>Spends the budget for a reply of <paramref name="bytes"/> at <paramref name="now"/>; false if it is spent.</summary>
    public bool TrySpend(int bytes, long now)
    {
        if (now > _refilledAt)
        {
            _tokens = Math.Min(_bytesPerSecond, _tokens + ((double)(now - _refilledAt) * _bytesPerSecond / _frequency));
            _refilledAt = now;
        }
        if (_packetReplies >= Limits.RepliesPerPacket || _tokens < bytes)
        {
            return false;
        }
        _packetReplies++;
        _tokens -= bytes;
        return true;
    }
}
