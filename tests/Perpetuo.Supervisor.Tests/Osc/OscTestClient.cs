using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Perpetuo.Control.Osc;
using Perpetuo.Supervisor.Osc;

namespace Perpetuo.Supervisor.Tests.Osc;

/// <summary>A UDP client on an ephemeral loopback port that drives the server's Poll itself while it waits.</summary>
internal sealed class OscTestClient : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly OscControlServer _server;
    private readonly IEngineTarget _target;

    public OscTestClient(OscControlServer server, IEngineTarget target)
    {
        _server = server;
        _target = target;
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
    }

    public void Send(byte[] packet) => _socket.SendTo(packet, _server.LocalEndPoint);

    public void Send(OscPacket packet) => Send(packet.ToArray());

    /// <summary>Polls the server (as the control thread would) until a reply arrives; null after <paramref name="timeoutMs"/>.</summary>
    public OscMessage? Receive(int timeoutMs = 2000)
    {
        var sw = Stopwatch.StartNew();
        var buffer = new byte[65536];
        while (sw.ElapsedMilliseconds < timeoutMs)
        {
            _server.Poll(_target);
            if (_socket.Poll(1000, SelectMode.SelectRead))
            {
                int n = _socket.Receive(buffer);
                return (OscMessage)OscPacket.Parse(buffer.AsSpan(0, n));
            }
        }
        return null;
    }

    /// <summary>Sends and returns the reply, failing the test if none arrives.</summary>
    public OscMessage Request(OscPacket packet)
    {
        Send(packet);
        return Receive() ?? throw new Xunit.Sdk.XunitException($"no reply to {packet}");
    }

    /// <summary>Replies that arrive within <paramref name="quietMs"/> of each other.</summary>
    public List<OscMessage> ReceiveAll(int quietMs = 200)
    {
        var replies = new List<OscMessage>();
        while (Receive(quietMs) is { } m)
        {
            replies.Add(m);
        }
        return replies;
    }

    public void Dispose() => _socket.Dispose();
}
