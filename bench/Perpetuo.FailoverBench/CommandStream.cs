using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Perpetuo.Control.Osc;

namespace Perpetuo.FailoverBench;

/// <summary>
/// Sends OSC commands at a steady rate from one UDP socket (parameter changes and notes, as a controller would)
/// and counts the engine's done/error replies.
/// </summary>
internal sealed class CommandStream : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly IPEndPoint _engine;
    private readonly int _rate;
    private readonly Thread _sender;
    private readonly Thread _receiver;
    private volatile bool _stop;
    private long _sent, _done, _errors;

    public CommandStream(IPEndPoint engine, int perSecond)
    {
        _engine = engine;
        _rate = perSecond;
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _sender = new Thread(Send) { IsBackground = true, Name = "commands" };
        _receiver = new Thread(Receive) { IsBackground = true, Name = "replies" };
    }

    public long Sent => Interlocked.Read(ref _sent);
    public long Done => Interlocked.Read(ref _done);
    public long Errors => Interlocked.Read(ref _errors);

    public void Start()
    {
        _receiver.Start();
        _sender.Start();
    }

    /// <summary>Stops sending and waits a moment for the last replies.</summary>
    public void Stop()
    {
        _stop = true;
        _sender.Join();
        Thread.Sleep(300);
    }

    private void Send()
    {
        var buffer = new byte[256];
        var clock = Stopwatch.StartNew();
        long n = 0;
        while (!_stop)
        {
            long due = (long)(clock.Elapsed.TotalSeconds * _rate);
            for (; n < due && !_stop; n++)
            {
                var w = new OscWriter(buffer);
                switch (n % 3)
                {
                    case 0:
                        w.BeginMessage("/perpetuo/param", ",ssf");
                        w.WriteString("filter");
                        w.WriteString("cutoff");
                        w.WriteFloat(300 + (n * 37 % 3000));
                        break;
                    case 1:
                        w.BeginMessage("/perpetuo/note/on", ",if");
                        w.WriteInt32(60 + (int)(n % 12));
                        w.WriteFloat(0.6f);
                        break;
                    default:
                        w.BeginMessage("/perpetuo/note/off", ",i");
                        w.WriteInt32(60 + (int)((n + 5) % 12));
                        break;
                }
                w.EndMessage();
                w.TryFinish(out int length);
                _socket.SendTo(buffer.AsSpan(0, length), SocketFlags.None, _engine);
                Interlocked.Increment(ref _sent);
            }
            Thread.Sleep(1);
        }
    }

    private void Receive()
    {
        var buffer = new byte[OscLimits.MaxPacketLength];
        while (true)
        {
            int n;
            try
            {
                n = _socket.Receive(buffer);
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                if (_stop && _sender.ThreadState == System.Threading.ThreadState.Stopped)
                {
                    return;
                }
                continue;
            }
            if (!OscMessageReader.TryCreate(buffer.AsSpan(0, n), out OscMessageReader m, out _))
            {
                continue;
            }
            if (m.AddressEquals("/perpetuo/done"u8))
            {
                Interlocked.Increment(ref _done);
            }
            else if (m.AddressEquals("/perpetuo/error"u8))
            {
                Interlocked.Increment(ref _errors);
            }
        }
    }

    public void Dispose() => _socket.Dispose();
}
