using System.Net;
using System.Net.Sockets;
using Perpetuo.Control.Commands;
using Perpetuo.Control.Osc;

namespace Perpetuo.Web.Tests;

/// <summary>
/// An engine's control port without an engine: a UDP socket on loopback answering what perpetuo web asks
/// (levels, events, modules, status, patch/current, commands) from settable state, and recording every request.
/// </summary>
internal sealed class FakeEngine : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly Thread _thread;
    private readonly Lock _gate = new();
    private volatile bool _stop;
    private int _inFlight;

    public FakeEngine()
    {
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _socket.ReceiveTimeout = 100;
        _thread = new Thread(Run) { IsBackground = true, Name = "fake-engine" };
        _thread.Start();
    }

    public IPEndPoint Endpoint => (IPEndPoint)_socket.LocalEndPoint!;

    public long Seq { get; set; } = 1000;

    public long Failovers { get; set; }

    public long GraphVersion { get; set; }

    public int Quarantined { get; set; }

    public string[] Roles { get; set; } = ["active", "standby"];

    public float[] Peaks { get; set; } = [0.5f, 0.25f];

    /// <summary>Event lines, numbered from 1.</summary>
    public List<string> Events { get; } = [];

    public string ModulesJson { get; set; } =
        """[{"id":"filter","type":"filter","params":[{"name":"cutoff","value":1000,"min":20,"max":20000}]}]""";

    public string PatchJson { get; set; } = """{"modules": [{"type": "filter", "id": "filter", "params": {"cutoff": 1000}}]}""";

    /// <summary>When false, nothing is answered (an engine that stopped).</summary>
    public bool Answering { get; set; } = true;

    /// <summary>How long each answer is held back (a slow engine).</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>When set, commands are refused with this error.</summary>
    public string? RefuseWith { get; set; }

    /// <summary>Every request received, in order.</summary>
    public List<OscMessage> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    private readonly List<OscMessage> _requests = [];

    /// <summary>Most requests seen at once between a request and its answer (UDP: one can only tell by overlap).</summary>
    public int MostInFlight { get; private set; }

    public List<OscMessage> RequestsTo(string address) => [.. Requests.Where(r => r.Address == address)];

    public void Dispose()
    {
        _stop = true;
        _thread.Join();
        _socket.Dispose();
    }

    private void Run()
    {
        var buffer = new byte[65536];
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        while (!_stop)
        {
            int n;
            try
            {
                n = _socket.ReceiveFrom(buffer, ref from);
            }
            catch (SocketException)
            {
                continue;
            }
            if (!OscPacket.TryParse(buffer.AsSpan(0, n), out OscPacket? packet, out _) || packet is not OscMessage m)
            {
                continue;
            }
            int inFlight = Interlocked.Increment(ref _inFlight);
            lock (_gate)
            {
                _requests.Add(m);
                MostInFlight = Math.Max(MostInFlight, inFlight);
            }
            if (Answering)
            {
                if (Delay > TimeSpan.Zero)
                {
                    Thread.Sleep(Delay);
                }
                OscMessage? reply = Answer(m);
                if (reply != null)
                {
                    _socket.SendTo(reply.ToArray(), from);
                }
            }
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private OscMessage? Answer(OscMessage m)
    {
        lock (_gate)
        {
            switch (m.Address)
            {
                case ControlAddresses.Levels:
                    var args = new List<OscArgument> { Seq, 0, 0L, Failovers, 0L, (long)Events.Count, GraphVersion, 0L, 0L, Quarantined, Roles.Length };
                    for (int s = 0; s < Roles.Length; s++)
                    {
                        args.AddRange([Roles[s], 100 + s, 0.1f, 0, 1f, 0f]);
                    }
                    args[1] = Math.Max(0, Array.IndexOf(Roles, "active"));
                    args.Add(Peaks.Length);
                    args.AddRange(Peaks.Select(p => (OscArgument)p));
                    return new OscMessage(ControlAddresses.Levels, args);
                case ControlAddresses.Events:
                    long after = m.Arguments.Count > 0 ? m.Arguments[0].AsInt64() : 0;
                    var lines = Events.Skip((int)after).Take(16).Select(l => (OscArgument)l);
                    return new OscMessage(ControlAddresses.Events, [(long)Events.Count, after + 1, .. lines]);
                case ControlAddresses.Modules:
                    return new OscMessage(ControlAddresses.Modules, ModulesJson);
                case ControlAddresses.Status:
                    return new OscMessage(ControlAddresses.Status, $$"""{"seq":{{Seq}},"sample_rate":48000,"block_frames":256,"quarantined":[]}""");
                case ControlAddresses.PatchCurrent:
                    return new OscMessage(ControlAddresses.PatchCurrent, 0, 1, unchecked((int)Control.Patches.PatchFile.Hash(PatchJson)), PatchJson);
                default:
                    if (RefuseWith == null && m.Address is ControlAddresses.Param or ControlAddresses.ModuleAdd or ControlAddresses.ModuleRemove)
                    {
                        GraphVersion++; // as the engine's graph model counts graph commands
                    }
                    return RefuseWith != null
                        ? new OscMessage(ControlAddresses.Error, m.Address, RefuseWith)
                        : new OscMessage(ControlAddresses.Done, m.Address);
            }
        }
    }
}
