using System.Diagnostics;
using System.Net;
using System.Text;
using Perpetuo.Control.Commands;
using Perpetuo.Control.Osc;

namespace Perpetuo.Web;

// Design: one thread is the web process's only client of the engine, whatever the number of pages. Each turn it
// asks /perpetuo/levels (every LevelsInterval: the meters' rate; allocation-free in the engine), and only when
// levels say something changed does it ask for more: the events after the last one it has (the events count
// moved), the modules (the graph's version moved, and not by a command of its own, whose effect it applies itself),
// the status (the quarantine count moved, events came, a command that changes it was accepted). Between two levels
// it sends the pages' commands, at most EngineCommandsPerSecond, one at a time, each waited for. So the engine sees
// at most one request in flight from the web process, a steady ~20 small requests a second while nothing happens,
// and never a burst: its OSC budget stays the engine's own. A parameter set again while its previous set still
// waits replaces it (a slider's last position is what matters). An engine that stops answering is asked again every
// ReconnectInterval; one that answers again, or answers as a new engine (its block clock went back), is read anew.

/// <summary>The engine as the pages see it: its states published to the <see cref="PageHub"/>, and their commands sent to it.</summary>
/// <remarks><see cref="Submit"/>: any thread. Everything else runs on the mirror's own thread.</remarks>
public sealed class EngineMirror : IDisposable
{
    private const int MaxEventRequestsPerTurn = 4;

    /// <summary>Between two parts of a large patch, so that a save never spends the engine's whole reply budget.</summary>
    private static readonly TimeSpan PartPause = TimeSpan.FromMilliseconds(160);

    private readonly EngineSocket _socket;
    private readonly WebLimits _limits;
    private readonly PageHub _hub;
    private readonly PatchStore? _patches;
    private readonly Lock _gate = new();
    private readonly List<Pending> _queue = [];
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly Thread _thread;
    private readonly TokenBucket _commands;
    private volatile bool _stop;

    // The mirror thread's own.
    private bool _connected;
    private EngineLevels? _last;
    private long _lastEvent;
    private long _knownVersion = -1;
    private List<ModuleJson>? _modules;
    private bool _modulesToPublish;
    private bool _statusWanted = true;
    private long _modulesAt;
    private long _statusAt;

    public EngineMirror(IPEndPoint engine, WebLimits limits, PageHub hub, PatchStore? patches)
    {
        ArgumentNullException.ThrowIfNull(engine);
        _limits = limits ?? throw new ArgumentNullException(nameof(limits));
        _hub = hub ?? throw new ArgumentNullException(nameof(hub));
        _patches = patches;
        _socket = new EngineSocket(engine);
        _commands = new TokenBucket(limits.EngineCommandsPerSecond, Stopwatch.GetTimestamp());
        _thread = new Thread(Run) { IsBackground = true, Name = "perpetuo-web-engine", Priority = ThreadPriority.BelowNormal };
        PublishLink();
        PublishPatches();
    }

    /// <summary>The engine's control port.</summary>
    public IPEndPoint Engine => _socket.Engine;

    /// <summary>Whether the engine answered the last levels request.</summary>
    public bool Connected => Volatile.Read(ref _connected);

    /// <summary>Requests sent to the engine so far (all kinds): what the web process cost its control port.</summary>
    public long RequestsSent => Volatile.Read(ref _requestsSent);

    private long _requestsSent;

    public void Start() => _thread.Start();

    /// <summary>
    /// Queues a page's request for the engine (or the patch directory) and completes with its outcome. Refused at
    /// once when the engine does not answer or <see cref="WebLimits.EngineQueue"/> requests already wait.
    /// </summary>
    public Task<PageReply> Submit(PageRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Op == PageOp.Patches)
        {
            PublishPatches();
            return Task.FromResult(new PageReply(true, "listed"));
        }
        if ((request.Op is PageOp.Load or PageOp.Save) && _patches == null)
        {
            return Task.FromResult(new PageReply(false, "no patch directory: start perpetuo web (or play --web) with --patch-dir DIR"));
        }
        if (!Connected)
        {
            return Task.FromResult(new PageReply(false, "the engine does not answer; nothing sent"));
        }
        var done = new TaskCompletionSource<PageReply>(TaskCreationOptions.RunContinuationsAsynchronously);
        TaskCompletionSource<PageReply>? superseded = null;
        lock (_gate)
        {
            int same = _queue.FindIndex(p => p.Request.SetsSameParamAs(request));
            if (same >= 0)
            {
                superseded = _queue[same].Done;
                _queue[same] = new Pending(request, done);
            }
            else if (_queue.Count >= _limits.EngineQueue)
            {
                return Task.FromResult(new PageReply(false, $"busy: {_limits.EngineQueue} requests already wait for the engine; try again"));
            }
            else
            {
                _queue.Add(new Pending(request, done));
            }
        }
        superseded?.TrySetResult(new PageReply(true, "superseded by a later value"));
        Wake();
        return done.Task;
    }

    public void Dispose()
    {
        _stop = true;
        Wake();
        if (_thread.IsAlive)
        {
            _thread.Join(TimeSpan.FromSeconds(5));
        }
        FailQueued("the web process is stopping");
        _socket.Dispose();
        _wake.Dispose();
    }

    private void Wake()
    {
        try
        {
            if (_wake.CurrentCount == 0)
            {
                _wake.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // already signalled
        }
        catch (ObjectDisposedException)
        {
            // stopped
        }
    }

    private void Run()
    {
        long nextLevels = 0;
        while (!_stop)
        {
            long now = Stopwatch.GetTimestamp();
            if (now >= nextLevels)
            {
                TakeLevels();
                nextLevels = Stopwatch.GetTimestamp() + Ticks(_connected ? _limits.LevelsInterval : _limits.ReconnectInterval);
                if (_connected)
                {
                    FollowUp();
                }
            }
            while (_connected && !_stop && Stopwatch.GetTimestamp() < nextLevels && TryRunOne())
            {
            }
            long wait = nextLevels - Stopwatch.GetTimestamp();
            if (HasQueued() && _connected)
            {
                wait = Math.Min(wait, _commands.WaitTicks(Stopwatch.GetTimestamp()));
            }
            if (wait > 0)
            {
                _wake.Wait(TimeSpan.FromTicks(Math.Max(1, wait * TimeSpan.TicksPerSecond / Stopwatch.Frequency)));
            }
        }
    }

    private OscMessage? Ask(OscMessage request)
    {
        Interlocked.Increment(ref _requestsSent);
        return _socket.Request(request, _limits.EngineTimeout);
    }

    private void TakeLevels()
    {
        OscMessage? reply = Ask(new OscMessage(ControlAddresses.Levels));
        EngineLevels? levels = reply != null ? EngineLevels.TryRead(reply) : null;
        if (levels == null)
        {
            if (_connected)
            {
                Volatile.Write(ref _connected, false);
                _hub.Note("engine_lost", "alert", reply == null
                    ? $"The engine at {Engine} does not answer. Retrying every {_limits.ReconnectInterval.TotalSeconds:0.#} s."
                    : $"The engine at {Engine} answered levels in a form this page does not know (another version?).");
                PublishLink();
                FailQueued("the engine does not answer; nothing sent");
            }
            return;
        }
        bool restarted = _last != null && (levels.Seq < _last.Seq || levels.Events < _lastEvent);
        if (!_connected || restarted)
        {
            if (restarted || _last != null)
            {
                _hub.Note(restarted ? "engine_restarted" : "engine_back", "info", restarted
                    ? $"A new engine answers at {Engine}: its chain and events are read anew."
                    : $"The engine at {Engine} answers again.");
            }
            if (restarted)
            {
                _lastEvent = 0;
            }
            _knownVersion = -1;
            _statusWanted = true;
            Volatile.Write(ref _connected, true);
            PublishLink();
        }
        if (_last != null && levels.Quarantined != _last.Quarantined)
        {
            _statusWanted = true;
        }
        _last = levels;
        _hub.Publish(StateKind.Levels, WebJson.Levels(levels));
    }

    /// <summary>What the last levels said changed: events, the graph, the status.</summary>
    private void FollowUp()
    {
        EngineLevels levels = _last!;
        for (int i = 0; i < MaxEventRequestsPerTurn && levels.Events > _lastEvent && _connected; i++)
        {
            TakeEvents();
        }
        long now = Stopwatch.GetTimestamp();
        bool modulesDue = now - _modulesAt >= Ticks(_limits.QueryInterval);
        if (levels.GraphVersion != _knownVersion && modulesDue)
        {
            TakeModules(levels.GraphVersion);
        }
        else if (_modulesToPublish && modulesDue)
        {
            PublishModules();
        }
        if (_statusWanted && now - _statusAt >= Ticks(_limits.QueryInterval) * 4)
        {
            TakeStatus();
        }
    }

    private void TakeEvents()
    {
        OscMessage? reply = Ask(new OscMessage(ControlAddresses.Events, _lastEvent));
        if (reply is not { Address: ControlAddresses.Events } || reply.Arguments.Count < 2
            || reply.Arguments[0].Type != OscTypeTag.Int64 || reply.Arguments[1].Type != OscTypeTag.Int64)
        {
            return;
        }
        long newest = reply.Arguments[0].AsInt64();
        long first = reply.Arguments[1].AsInt64();
        if (first > _lastEvent + 1)
        {
            _hub.Timeline.AddNote("events_missed", "info", $"{first - _lastEvent - 1} engine events came too fast to be shown (the counters above count them all).");
        }
        long number = first - 1;
        foreach (OscArgument line in reply.Arguments.Skip(2))
        {
            number++;
            if (line.Type == OscTypeTag.String && _hub.Timeline.AddEvent(line.AsString()))
            {
                _statusWanted = true;
            }
        }
        // No line for what was asked (an engine that keeps fewer than it counts): take the count, never ask again in a loop.
        _lastEvent = Math.Max(_lastEvent, reply.Arguments.Count > 2 ? number : newest);
        _hub.WakeAll();
    }

    private void TakeModules(long version)
    {
        _modulesAt = Stopwatch.GetTimestamp();
        OscMessage? reply = Ask(new OscMessage(ControlAddresses.Modules));
        if (reply is not { Address: ControlAddresses.Modules, Arguments.Count: 1 } || reply.Arguments[0].Type != OscTypeTag.String)
        {
            return;
        }
        try
        {
            _modules = [.. ModuleJson.ParseList(reply.Arguments[0].AsString())];
        }
        catch (System.Text.Json.JsonException)
        {
            return;
        }
        _knownVersion = version;
        PublishModules();
    }

    private void PublishModules()
    {
        _modulesToPublish = false;
        _modulesAt = Stopwatch.GetTimestamp();
        if (_modules != null)
        {
            _hub.Publish(StateKind.Modules, WebJson.Envelope("modules", "modules", ModuleJson.ToJson(_modules)));
        }
    }

    private void TakeStatus()
    {
        _statusAt = Stopwatch.GetTimestamp();
        _statusWanted = false;
        OscMessage? reply = Ask(new OscMessage(ControlAddresses.Status));
        if (reply is { Address: ControlAddresses.Status, Arguments.Count: 1 } && reply.Arguments[0].Type == OscTypeTag.String)
        {
            string json = reply.Arguments[0].AsString();
            if (WebJson.IsObject(json))
            {
                _hub.Publish(StateKind.Status, WebJson.Envelope("status", "status", json));
            }
        }
    }

    private bool HasQueued()
    {
        lock (_gate)
        {
            return _queue.Count > 0;
        }
    }

    /// <summary>Sends the oldest waiting request if the rate allows; false when there is none or it must wait.</summary>
    private bool TryRunOne()
    {
        Pending next;
        lock (_gate)
        {
            if (_queue.Count == 0 || !_commands.TryTake(Stopwatch.GetTimestamp()))
            {
                return false;
            }
            next = _queue[0];
            _queue.RemoveAt(0);
        }
        next.Done.TrySetResult(next.Request.Op == PageOp.Save ? Save(next.Request) : Send(next.Request));
        return true;
    }

    private PageReply Send(PageRequest request)
    {
        OscMessage? reply = Ask(request.ToOsc());
        // A plugin the engine looks up the first time it is named (about a second): asked again, a few times, as a
        // musician would click again — bounded, on this thread only (the page's other commands wait meanwhile).
        for (int again = 0; again < _limits.SendAgainTries && IsSendAgain(reply); again++)
        {
            Thread.Sleep(_limits.SendAgainPause);
            reply = Ask(request.ToOsc());
        }
        if (reply == null)
        {
            return new PageReply(false, "the engine did not answer in time (the command may not have been applied)");
        }
        if (reply.Address == ControlAddresses.Error)
        {
            return new PageReply(false, reply.Arguments.Count > 1 && reply.Arguments[1].Type == OscTypeTag.String ? reply.Arguments[1].AsString() : "refused");
        }
        Accepted(request);
        return new PageReply(true, "done");
    }

    private static bool IsSendAgain(OscMessage? reply) =>
        reply?.Address == ControlAddresses.Error && reply.Arguments.Count > 1 && reply.Arguments[1].Type == OscTypeTag.String
        && reply.Arguments[1].AsString().EndsWith(Perpetuo.Control.Catalog.IPluginTypes.SendAgain, StringComparison.Ordinal);

    /// <summary>Follows a command of ours the engine accepted: a value set is applied here, anything else read anew.</summary>
    private void Accepted(PageRequest request)
    {
        switch (request.Op)
        {
            case PageOp.Param when _knownVersion >= 0 && _modules != null:
                int m = _modules.FindIndex(x => x.Id == request.Module);
                int p = m < 0 ? -1 : _modules[m].Params.ToList().FindIndex(x => x.Name == request.Param);
                if (p < 0)
                {
                    _knownVersion = -1;
                    break;
                }
                var values = _modules[m].Params.ToList();
                values[p] = values[p] with { Value = request.Value };
                _modules[m] = _modules[m] with { Params = values };
                _knownVersion++; // one graph command: the engine's version moved by one, if nobody else's did
                _modulesToPublish = true;
                break;
            case PageOp.Panic:
                break;
            default:
                _knownVersion = -1; // the chain changed: read it
                _statusWanted = true;
                break;
        }
    }

    /// <summary>Reads the graph as a patch (every part, all of one graph: the hash agrees) and writes it into the patch directory.</summary>
    private PageReply Save(PageRequest request)
    {
        string? json = null;
        for (int attempt = 0; attempt < 3 && json == null; attempt++)
        {
            json = CurrentPatch(out string? problem);
            if (problem != null)
            {
                return new PageReply(false, problem);
            }
        }
        if (json == null)
        {
            return new PageReply(false, "the chain kept changing while it was read; try again");
        }
        bool saved = _patches!.TrySave(request.Name, json, request.Overwrite, out string message);
        if (saved)
        {
            PublishPatches();
        }
        return new PageReply(saved, message);
    }

    /// <summary>The patch JSON of the graph, or null when its parts came from two graphs (then ask again).</summary>
    private string? CurrentPatch(out string? problem)
    {
        problem = null;
        var text = new StringBuilder();
        int parts = 1;
        int hash = 0;
        for (int part = 0; part < parts; part++)
        {
            OscMessage? reply = Ask(new OscMessage(ControlAddresses.PatchCurrent, part));
            if (reply == null)
            {
                problem = "the engine did not answer; nothing saved";
                return null;
            }
            if (reply.Address == ControlAddresses.Error)
            {
                problem = reply.Arguments.Count > 1 ? reply.Arguments[1].AsString() : "the engine refused";
                return null;
            }
            if (reply.Arguments.Count != 4 || reply.Arguments[3].Type != OscTypeTag.String || reply.Arguments[1].AsInt32() is < 1 or > 64)
            {
                problem = "the engine's answer is not a patch; nothing saved";
                return null;
            }
            if (part > 0 && (reply.Arguments[1].AsInt32() != parts || reply.Arguments[2].AsInt32() != hash))
            {
                return null; // another graph's part
            }
            parts = reply.Arguments[1].AsInt32();
            hash = reply.Arguments[2].AsInt32();
            text.Append(reply.Arguments[3].AsString());
            if (part + 1 < parts)
            {
                Thread.Sleep(PartPause); // 32 KB parts at most ~200 KB/s: within the engine's reply budget (256 KiB/s)
            }
        }
        string json = text.ToString();
        return unchecked((int)Perpetuo.Control.Patches.PatchFile.Hash(json)) == hash ? json : null;
    }

    private void FailQueued(string why)
    {
        List<Pending> failed;
        lock (_gate)
        {
            failed = [.. _queue];
            _queue.Clear();
        }
        foreach (Pending p in failed)
        {
            p.Done.TrySetResult(new PageReply(false, why));
        }
    }

    private void PublishLink() => _hub.Publish(StateKind.Link, WebJson.Link(Connected, Engine.ToString(), _patches != null));

    private void PublishPatches()
    {
        if (_patches != null)
        {
            _hub.Publish(StateKind.Patches, WebJson.Patches(_patches.List()));
        }
    }

    private static long Ticks(TimeSpan t) => (long)(t.TotalSeconds * Stopwatch.Frequency);

    private readonly record struct Pending(PageRequest Request, TaskCompletionSource<PageReply> Done);
}

/// <summary>What became of a page's request: accepted, or refused with a sentence.</summary>
public sealed record PageReply(bool Ok, string Message);
