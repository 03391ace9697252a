using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Perpetuo.Control.Commands;
using Perpetuo.Control.Osc;
using Perpetuo.Control.Patches;
using Perpetuo.Protocol;
using Perpetuo.Supervisor.Control;
using Perpetuo.Transport;

namespace Perpetuo.Supervisor.Osc;

// Design: the server has no thread of its own. The engine's control thread calls Poll once per tick (~1 ms);
// Poll drains what has arrived on a non-blocking UDP socket and handles each datagram to the end — parse,
// validate, submit, reply — before reading the next. Every kind of work a datagram can cause is bounded, so a
// flood cannot stall supervision: datagrams and messages per tick (MaxDatagramsPerPoll, Limits.MessagesPerTick),
// messages per datagram, one status per datagram and one status built per tick, replies by count and bytes
// (ReplyBudget), and no file is touched on this thread (PatchLoader). Because every engine call happens on that one thread, nothing here needs a lock, and the reused
// receive buffer, sender address and reply buffer are safe to share between datagrams.
// Steady state allocates nothing while idle: readiness is checked with Socket.Poll(0) (no exception for "would
// block"), the datagram goes into a reused buffer with a reused SocketAddress, and replies are encoded with
// OscWriter into a reused buffer and sent with SendTo(span, SocketAddress). A request allocates its strings
// (ids and names) and its validated request object; that is per command, never per tick.

/// <summary>The OSC 1.0 control port over UDP: an <see cref="IControlEndpoint"/> polled by the engine's control thread.</summary>
/// <remarks>
/// Control thread only (construction and <see cref="Dispose"/> may happen on another thread before the engine polls
/// it and after the engine has stopped). Never throws from <see cref="Poll(IEngineTarget)"/> for anything a
/// datagram contains: malformed, truncated or oversized packets are counted and answered, if an address can be
/// read, with <c>/perpetuo/error</c>.
/// </remarks>
public sealed partial class OscControlServer : IControlEndpoint, IDisposable
{
    /// <summary>Most datagrams handled in one poll; the rest wait for the next tick.</summary>
    public const int MaxDatagramsPerPoll = 256;

    /// <summary>
    /// Time one poll may spend on datagrams once it has handled one (a tick is ~1 ms; a block at 64 frames 1.3 ms).
    /// </summary>
    private static readonly long PollBudget = System.Diagnostics.Stopwatch.Frequency / 2000;

    /// <summary>Largest UDP payload over IPv4; the reply buffer's size.</summary>
    private const int MaxUdpPayload = 65507;

    private readonly Socket _socket;
    private readonly byte[] _receive = new byte[OscLimits.MaxPacketLength];
    private readonly byte[] _reply = new byte[MaxUdpPayload];
    private readonly SocketAddress _sender;
    private readonly int _senderCapacity;
    private readonly ReplyBudget _budget = new();
    private readonly PatchLoader _loader;
    private int _tickMessages;
    private string? _statusThisTick;

    /// <summary>Binds a non-blocking UDP socket to <paramref name="endpoint"/> (port 0: an ephemeral port).</summary>
    /// <param name="endpoint">Where to listen. A non-loopback address is honoured with a warning on <paramref name="warnings"/>.</param>
    /// <param name="model">The graph as the workers start it (the patch given to play); the server then tracks it.</param>
    /// <param name="warnings">Where to warn (stderr in the CLI), or null.</param>
    /// <exception cref="SocketException">The address cannot be bound (in use, not local).</exception>
    /// <param name="patches">The directory `/perpetuo/patch/load` may load from (play's --patch-dir), or null: off.</param>
    public OscControlServer(IPEndPoint endpoint, GraphModel model, TextWriter? warnings = null, PatchDirectory? patches = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
        _loader = new PatchLoader(patches, model.Catalog, warnings);
        _socket = new Socket(endpoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp) { Blocking = false };
        try
        {
            _socket.ReceiveBufferSize = 1 << 20; // absorb a burst between two ticks
            _socket.Bind(endpoint);
        }
        catch
        {
            _socket.Dispose();
            throw;
        }
        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
        _senderCapacity = SocketAddress.GetMaximumAddressSize(endpoint.AddressFamily);
        _sender = new SocketAddress(endpoint.AddressFamily, _senderCapacity);
        if (!IPAddress.IsLoopback(endpoint.Address))
        {
            warnings?.WriteLine($"perpetuo: warning: the OSC control port listens on {LocalEndPoint}, not only on loopback: " +
                                "anyone who can send it a UDP datagram can change the sound (there is no authentication)");
        }
        WarmUp();
    }

    /// <summary>The bound address (with the real port when 0 was asked for).</summary>
    public IPEndPoint LocalEndPoint { get; }

    private GraphModel _model;

    /// <summary>The supervisor's model of the module graph, following every accepted request.</summary>
    public GraphModel Model => _model;

    /// <summary>Datagrams received.</summary>
    public long Packets { get; private set; }

    /// <summary>Datagrams that were not well-formed OSC (malformed, truncated, oversized, nested too deep).</summary>
    public long Malformed { get; private set; }

    /// <summary>Requests accepted (a bundle's messages count one each).</summary>
    public long Accepted { get; private set; }

    /// <summary>Requests refused: invalid, or the engine could not take them.</summary>
    public long Rejected { get; private set; }

    /// <summary>Replies that could not be sent (the sender's socket buffer full, or unreachable).</summary>
    public long RepliesDropped { get; private set; }

    /// <summary>Replies not sent because a reply budget was spent (per datagram, or bytes per second).</summary>
    public long RepliesSuppressed { get; private set; }

    /// <summary>Handles every datagram that has arrived (up to <see cref="MaxDatagramsPerPoll"/>). Control thread only.</summary>
    public void Poll(Engine engine) => Poll((IEngineTarget)engine);

    /// <inheritdoc cref="Poll(Engine)"/>
    public void Poll(IEngineTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        _tickMessages = 0;
        _statusThisTick = null;
        CompletePatchLoad(target);
        long deadline = Stopwatch.GetTimestamp() + PollBudget;
        for (int i = 0; i < MaxDatagramsPerPoll && _tickMessages < Limits.MessagesPerTick && _socket.Poll(0, SelectMode.SelectRead); i++)
        {
            if (i > 0 && Stopwatch.GetTimestamp() > deadline)
            {
                break; // the rest wait in the socket buffer: supervision comes first
            }
            int length;
            try
            {
                _sender.Size = _senderCapacity;
                length = _socket.ReceiveFrom(_receive, SocketFlags.None, _sender);
            }
            catch (SocketException)
            {
                // A datagram the kernel could not hand over whole (or an ICMP error queued on the socket): count, go on.
                Packets++;
                Malformed++;
                continue;
            }
            Packets++;
            HandlePacket(target, _receive.AsSpan(0, length));
        }
    }

    public void Dispose() => _socket.Dispose();

    private static CommandKind ToCommandKind(FaultKind fault) => fault switch
    {
        FaultKind.Crash => CommandKind.FaultCrash,
        FaultKind.Hang => CommandKind.FaultHang,
        FaultKind.Stall => CommandKind.FaultStall,
        FaultKind.Nan => CommandKind.FaultNan,
        FaultKind.Snapshot => CommandKind.FaultCorruptSnapshot,
        FaultKind.Diverge => CommandKind.FaultDiverge,
        _ => CommandKind.FaultCorruptHeader,
    };
}
