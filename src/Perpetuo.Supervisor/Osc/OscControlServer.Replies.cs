using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Perpetuo.Control.Commands;
using Perpetuo.Control.Osc;
using Perpetuo.Supervisor.Control;

namespace Perpetuo.Supervisor.Osc;

// Replies go to the address the datagram came from, encoded into the one reused reply buffer.
public sealed partial class OscControlServer
{
    private void ReplyDone(ReadOnlySpan<char> requestAddress, SocketAddress? to = null)
    {
        var w = new OscWriter(_reply);
        w.BeginMessage(ControlAddresses.Done, "s");
        w.WriteString(requestAddress);
        w.EndMessage();
        Send(ref w, to);
    }

    private void ReplyError(ReadOnlySpan<byte> requestAddress, string message, SocketAddress? to = null)
    {
        var w = new OscWriter(_reply);
        w.BeginMessage(ControlAddresses.Error, "ss");
        w.WriteString(requestAddress);
        w.WriteString(message);
        w.EndMessage();
        Send(ref w, to);
    }

    private void ReplyError(string requestAddress, string message, SocketAddress? to = null) =>
        ReplyError(Encoding.UTF8.GetBytes(requestAddress), message, to);

    private void ReplyText(string address, string text)
    {
        var w = new OscWriter(_reply);
        w.BeginMessage(address, "s");
        w.WriteString(text);
        w.EndMessage();
        if (w.HasOverflowed)
        {
            ReplyError(Encoding.UTF8.GetBytes(address), $"{address}: the reply ({w.Length} bytes) does not fit one UDP datagram");
            return;
        }
        Send(ref w);
    }

    /// <summary>Sends the reply to <paramref name="to"/> (default: the sender of the datagram being handled), within the budget.</summary>
    private void Send(ref OscWriter writer, SocketAddress? to = null)
    {
        if (!writer.TryFinish(out int length))
        {
            RepliesDropped++;
            return;
        }
        if (_warming)
        {
            return;
        }
        if (!_budget.TrySpend(length, Stopwatch.GetTimestamp()))
        {
            RepliesSuppressed++;
            return;
        }
        try
        {
            _socket.SendTo(_reply.AsSpan(0, length), SocketFlags.None, to ?? _sender);
        }
        catch (SocketException)
        {
            RepliesDropped++; // the sender's buffer is full or it is gone; the request itself was handled
        }
    }

    /// <summary>The engine's status JSON with the server's own counters added as <c>"osc"</c>.</summary>
    private string StatusJson(IEngineTarget target) => _statusThisTick ??= BuildStatusJson(target); // built once per tick at most

    private string BuildStatusJson(IEngineTarget target) =>
        (target.Status() with
        {
            Osc = new OscStatus(LocalEndPoint.ToString(), Packets, Malformed, Accepted, Rejected, RepliesDropped, RepliesSuppressed),
        }).ToJson();
}
