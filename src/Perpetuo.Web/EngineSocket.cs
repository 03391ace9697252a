using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Perpetuo.Control.Commands;
using Perpetuo.Control.Osc;

namespace Perpetuo.Web;

// Design: one request at a time, each waited for (so the web process never has more than one request in the
// engine's socket buffer, whatever the number of pages), from one UDP socket. A request that gets no reply in time
// is given up and the socket replaced by a new one on a new port: its reply, if it comes late, goes to a closed
// port instead of being taken for the reply to the next request (UDP has no request ids).

/// <summary>The web process's OSC client of the engine.</summary>
/// <remarks>The engine link's thread only.</remarks>
internal sealed class EngineSocket : IDisposable
{
    private readonly IPEndPoint _engine;
    private readonly byte[] _buffer = new byte[OscLimits.MaxPacketLength];
    private Socket _socket;

    public EngineSocket(IPEndPoint engine)
    {
        _engine = engine;
        _socket = Open();
    }

    /// <summary>The engine's control port.</summary>
    public IPEndPoint Engine => _engine;

    /// <summary>
    /// Sends <paramref name="request"/> and returns its reply: a message at the request's address (a query) or
    /// <c>/perpetuo/done</c> / <c>/perpetuo/error</c> naming it. Null after <paramref name="timeout"/>.
    /// </summary>
    public OscMessage? Request(OscMessage request, TimeSpan timeout)
    {
        try
        {
            _socket.SendTo(request.ToArray(), _engine);
        }
        catch (SocketException)
        {
            Replace(); // e.g. ICMP port unreachable queued from an engine that is not running
            return null;
        }
        long deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            long left = deadline - Stopwatch.GetTimestamp();
            if (left <= 0 || !_socket.Poll((int)Math.Max(1, left * 1_000_000 / Stopwatch.Frequency), SelectMode.SelectRead))
            {
                Replace();
                return null;
            }
            int n;
            try
            {
                n = _socket.Receive(_buffer);
            }
            catch (SocketException)
            {
                continue; // an ICMP error for an earlier datagram: wait on until the deadline
            }
            if (OscPacket.TryParse(_buffer.AsSpan(0, n), out OscPacket? packet, out _) && packet is OscMessage reply && IsReplyTo(reply, request.Address))
            {
                return reply;
            }
        }
    }

    public void Dispose() => _socket.Dispose();

    internal static bool IsReplyTo(OscMessage reply, string address) => reply.Address switch
    {
        ControlAddresses.Done or ControlAddresses.Error =>
            reply.Arguments.Count >= 1 && reply.Arguments[0].Type == OscTypeTag.String && reply.Arguments[0].AsString() == address,
        _ => reply.Address == address,
    };

    private void Replace()
    {
        _socket.Dispose();
        _socket = Open();
    }

    private Socket Open()
    {
        var s = new Socket(_engine.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        bool v6 = _engine.AddressFamily == AddressFamily.InterNetworkV6;
        IPAddress local = IPAddress.IsLoopback(_engine.Address) ? (v6 ? IPAddress.IPv6Loopback : IPAddress.Loopback) : (v6 ? IPAddress.IPv6Any : IPAddress.Any);
        s.Bind(new IPEndPoint(local, 0));
        return s;
    }
}
