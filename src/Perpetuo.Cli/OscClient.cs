using System.CommandLine;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Perpetuo.Control.Commands;
using Perpetuo.Control.Osc;
using Perpetuo.Supervisor.Osc;

namespace Perpetuo.Cli;

/// <summary>
/// The CLI side of the control port: sends one request from an ephemeral UDP port and waits for its reply.
/// </summary>
/// <remarks>Main thread of a short-lived command; allocates freely.</remarks>
public sealed class OscClient : IDisposable
{
    private readonly Socket _socket;
    private readonly IPEndPoint _server;

    private OscClient(IPEndPoint server)
    {
        _server = server;
        _socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        _socket.Bind(new IPEndPoint(server.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0));
    }

    /// <summary>A client for the engine at <paramref name="spec"/> (HOST:PORT). Also used by tests and harnesses.</summary>
    public static OscClient Connect(string spec) => new(OscEndpoint.Parse(spec));

    /// <summary>Asks for the status JSON; null if no reply came within <paramref name="timeout"/>.</summary>
    public string? StatusJson(TimeSpan timeout)
    {
        OscMessage? reply = Request(new OscMessage(ControlAddresses.Status), timeout);
        return reply is { Arguments.Count: 1 } && reply.Arguments[0].Type == OscTypeTag.String ? reply.Arguments[0].AsString() : null;
    }

    /// <summary>The server address from <c>--osc</c> (default <see cref="OscEndpoint.Default"/>).</summary>
    internal static OscClient Open(string verb, string spec)
    {
        try
        {
            return new OscClient(OscEndpoint.Parse(spec));
        }
        catch (FormatException e)
        {
            throw new CliException($"{verb}: --osc {e.Message}", e);
        }
    }

    public IPEndPoint Server => _server;

    /// <summary>
    /// Sends <paramref name="request"/> and returns its reply: <c>/perpetuo/done</c> or <c>/perpetuo/error</c> naming
    /// the request's address, or a message at the request's own address (status, modules). Null after
    /// <paramref name="timeout"/> without one. Other datagrams are ignored.
    /// </summary>
    public OscMessage? Request(OscMessage request, TimeSpan timeout)
    {
        _socket.SendTo(request.ToArray(), _server);
        var buffer = new byte[OscLimits.MaxPacketLength];
        long deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            int left = (int)Math.Ceiling(Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline).TotalMilliseconds);
            if (left <= 0 || !_socket.Poll(left * 1000, SelectMode.SelectRead))
            {
                return null;
            }
            int n;
            try
            {
                n = _socket.Receive(buffer);
            }
            catch (SocketException)
            {
                continue; // e.g. ICMP port unreachable from a previous attempt: keep waiting until the deadline
            }
            if (OscPacket.TryParse(buffer.AsSpan(0, n), out OscPacket? packet, out _) && packet is OscMessage reply && IsReplyTo(reply, request))
            {
                return reply;
            }
        }
    }

    public void Dispose() => _socket.Dispose();

    private static bool IsReplyTo(OscMessage reply, OscMessage request) => reply.Address switch
    {
        ControlAddresses.Done or ControlAddresses.Error =>
            reply.Arguments.Count >= 1 && reply.Arguments[0].Type == OscTypeTag.String && reply.Arguments[0].AsString() == request.Address,
        _ => reply.Address == request.Address,
    };

    /// <summary>
    /// Sends a query (status, modules) and returns the JSON text of its reply, or null (with the reason on stderr)
    /// when no reply came. A usage error or an error reply is a <see cref="CliException"/>.
    /// </summary>
    internal static string? Query(string verb, string spec, double timeout, string address)
    {
        using OscClient client = Open(verb, spec);
        OscMessage? reply = client.Request(new OscMessage(address), TimeSpan.FromSeconds(timeout));
        if (reply == null)
        {
            Console.Error.WriteLine($"perpetuo: error: {NoReply(client.Server, timeout)}");
            return null;
        }
        if (reply.Address == ControlAddresses.Error)
        {
            throw new CliException(reply.Arguments.Count > 1 ? reply.Arguments[1].AsString() : "error");
        }
        return reply.Arguments.Count == 1 && reply.Arguments[0].Type == OscTypeTag.String
            ? reply.Arguments[0].AsString()
            : throw new CliException($"unexpected reply {reply}");
    }

    /// <summary>
    /// The definition of a query verb (status, modules): <c>--json</c>, <c>--osc</c>, <c>--timeout</c>; its action
    /// asks <paramref name="address"/>, prints the reply's JSON with --json, else reads it with
    /// <paramref name="schema"/> (the source-generated type shared with the supervisor) and passes it to
    /// <paramref name="printTable"/>. Exit status 1 when no reply came.
    /// </summary>
    internal static Command QueryCommand<T>(string name, string description, string jsonDescription, string address,
                                            JsonTypeInfo<T> schema, Action<T> printTable)
    {
        Option<bool> jsonOption = CliOptions.Flag("--json", jsonDescription);
        Option<string> oscOption = CliOptions.Osc();
        Option<double> timeoutOption = CliOptions.Timeout();
        var command = new Command(name, description) { jsonOption, oscOption, timeoutOption };
        command.SetAction(r =>
        {
            string? text = Query(name, r.GetValue(oscOption)!, r.GetValue(timeoutOption), address);
            if (text == null)
            {
                return 1; // no reply: the reason is on stderr
            }
            if (r.GetValue(jsonOption))
            {
                Console.WriteLine(text);
                return 0;
            }
            T value;
            try
            {
                value = JsonSerializer.Deserialize(text, schema) ?? throw new JsonException("null");
            }
            catch (JsonException e)
            {
                throw new CliException($"{name}: the reply is not the JSON documented in docs/protocol.md ({e.Message})", e);
            }
            printTable(value);
            return 0;
        });
        return command;
    }

    public static string NoReply(IPEndPoint server, double timeout) =>
        $"no reply from {server} within {timeout:0.###} s; is `perpetuo play` running with --osc {server}?";
}
