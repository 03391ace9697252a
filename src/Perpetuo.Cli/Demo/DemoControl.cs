using System.Collections.Concurrent;
using Perpetuo.Control.Commands;
using Perpetuo.Control.Osc;
using Perpetuo.Supervisor.Control;
using Perpetuo.Transport;

namespace Perpetuo.Cli.Demo;

/// <summary>
/// The demo's control port. A request is validated on the script thread exactly as the OSC server validates one
/// (RequestParser against the graph model), and its commands are submitted on the engine's control thread with
/// one <see cref="Engine.TrySubmit"/>, so every accepted command is stamped, logged and journaled.
/// </summary>
/// <remarks>
/// Design: <see cref="Engine.TrySubmit"/> is control-thread only, and the control thread polls one
/// <see cref="IControlEndpoint"/> per tick; concurrent queues carry submissions over and results back. The
/// expensive part (parsing, validation, the model, the narration) stays on the script thread: the control thread
/// only dequeues and submits, because a control tick that stalls for a JIT or a console write holds back the
/// render limits and the callback would underrun (the OSC server warms itself up for the same reason). Nothing
/// goes over the network, so the demo runs where UDP port 57130 is taken. A submission refused because a command
/// ring is full is retried on the next ticks, as a person with `perpetuo send` would.
/// </remarks>
internal sealed class DemoControl : IControlEndpoint
{
    private const int MaxAttempts = 200;

    private readonly GraphModel _model;
    private readonly ConcurrentQueue<Submission> _pending = new();
    private readonly ConcurrentQueue<(Submission Submission, long Stamp, string? Error)> _results = new();

    public DemoControl(GraphModel model)
    {
        _model = model;
        // Warm up both queues here, on the script thread, so the control thread's first use compiles nothing.
        var warm = new Submission("warm-up", [], 0);
        _pending.Enqueue(warm);
        _pending.TryDequeue(out _);
        _results.Enqueue((warm, 0, null));
        _results.TryDequeue(out _);
    }

    /// <summary>Requests accepted and journaled.</summary>
    public int Accepted { get; private set; }

    /// <summary>Requests refused (by validation, or a full ring after retries).</summary>
    public int Rejected { get; private set; }

    /// <summary>Validates <paramref name="message"/> and queues it for the control thread; false with a reason if refused. Script thread.</summary>
    public bool TrySend(OscMessage message, out string error)
    {
        ArgumentNullException.ThrowIfNull(message);
        byte[] packet = message.ToArray();
        if (!OscMessageReader.TryCreate(packet, out OscMessageReader reader, out string? problem)
            || !RequestParser.TryParse(reader, _model, out ControlRequest? request, out problem))
        {
            Rejected++;
            error = problem;
            return false;
        }
        CommandRecord[] records = [.. request.Commands.Select(c => CommandRecord.Create((int)c.Kind, 0, 0, c.Id, c.RecordName, c.Value, c.Value2))];
        _model.Apply(request.Commands); // the next request is validated against the graph as this one leaves it
        _pending.Enqueue(new Submission(Show(message), records, 0));
        error = "";
        return true;
    }

    /// <summary>Reports each finished submission: its text and stamp, or the engine's refusal. Script thread.</summary>
    public void Pump(Action<string, long, string?> report)
    {
        ArgumentNullException.ThrowIfNull(report);
        while (_results.TryDequeue(out var r))
        {
            if (r.Error == null)
            {
                Accepted++;
            }
            else
            {
                Rejected++;
            }
            report(r.Submission.Text, r.Stamp, r.Error);
        }
    }

    /// <inheritdoc/>
    /// <remarks>Control thread only.</remarks>
    public void Poll(Engine engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        int n = _pending.Count;
        for (int i = 0; i < n && _pending.TryDequeue(out Submission? s); i++)
        {
            if (engine.TrySubmit([new CommandGroup(s.Records)], out string error))
            {
                _results.Enqueue((s, engine.LastAcceptedStamp, null));
            }
            else if (s.Attempts < MaxAttempts)
            {
                _pending.Enqueue(s with { Attempts = s.Attempts + 1 });
            }
            else
            {
                _results.Enqueue((s, -1, error));
            }
        }
    }

    private static string Show(OscMessage m) =>
        m.Address + " " + string.Join(' ', m.Arguments.Select(a => Convert.ToString(a.Value, System.Globalization.CultureInfo.InvariantCulture)));

    private sealed record Submission(string Text, CommandRecord[] Records, int Attempts);
}
