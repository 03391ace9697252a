using System.Net;
using Perpetuo.Control.Commands;
using Perpetuo.Control.Osc;
using Perpetuo.Protocol;
using Perpetuo.Supervisor.Control;
using Perpetuo.Transport;

namespace Perpetuo.Supervisor.Osc;

// One datagram, start to end. Phase 0 (count): a walk that only counts the messages; a packet of more than
// Limits.MessagesPerPacket is refused whole, nothing of it parsed. Phase 1 (collect): OscPacket.TryWalk validates
// the whole packet tree, then hands each message here; once one is refused, the rest are not parsed (the packet
// is refused whole anyway: parsing them would only build error strings nobody gets). Each message is parsed and validated against the graph as the earlier messages of the same packet would
// leave it (a staged copy, made only when a packet has more than one change). Queries are answered at once, one of
// each kind per packet. Phase 2 (commit): if any message was refused, none of the packet's changes is applied (a
// bundle applies completely or not at all); otherwise every submission of the packet goes to the engine in one
// TrySubmit — consecutive messages with the same time tag as one group, at one stamp — which accepts them all or
// refuses them all before anything is stamped. Faults are injected once the changes are in. A patch/load must be
// alone in its packet: it is read off the control thread (PatchLoader) and submitted whole on a later tick.
public sealed partial class OscControlServer
{
    private const string BundleRefused = "not applied: another message in the same packet was refused, and a bundle applies completely or not at all";
    private const string PatchLoadAlone = "/perpetuo/patch/load must be sent alone, not in a bundle with other messages: nothing applied";

    private readonly List<Pending> _pending = [];
    private readonly RequestPool _requests = new(Limits.MessagesPerPacket); // a packet's parameters and notes, reused
    private readonly List<CommandGroup> _groups = [];
    private readonly List<List<CommandRecord>> _groupRecords = [];
    private GraphModel? _staged;
    private bool _anyRefused;
    private bool _statusAnswered;
    private bool _modulesAnswered;

    private void HandlePacket(IEngineTarget target, ReadOnlySpan<byte> packet)
    {
        _pending.Clear();
        _requests.Clear(); // the last packet's requests are done with: _pending held the only references
        _staged = null;
        _anyRefused = false;
        _statusAnswered = _modulesAnswered = _levelsAnswered = _eventsAnswered = _patchAnswered = false;
        _budget.BeginPacket();
        var counter = new Counter();
        if (!OscPacket.TryWalk(packet, ref counter, out string? error))
        {
            Malformed++;
            if (TryReadAddress(packet, out ReadOnlySpan<byte> address))
            {
                ReplyError(address, $"malformed OSC packet, ignored: {error}");
            }
            return;
        }
        _tickMessages += counter.Messages;
        if (counter.Messages > Limits.MessagesPerPacket)
        {
            Refuse(target);
            ReplyError("#bundle"u8, $"the packet holds {counter.Messages} messages; at most {Limits.MessagesPerPacket} are read from one datagram: refused whole, nothing changed");
            return;
        }
        var collector = new Collector(this, target);
        OscPacket.TryWalk(packet, ref collector, out _);
        Commit(target);
    }

    private void Collect(IEngineTarget target, OscMessageReader message, OscTimeTag timeTag)
    {
        if (_anyRefused)
        {
            Refuse(target); // the packet is refused whole: counted, not parsed
            return;
        }
        if (!RequestParser.TryParse(message, ValidationModel(), out ControlRequest? request, out string? error, _requests))
        {
            Refuse(target);
            _anyRefused = true;
            ReplyError(message.Address, error);
            return;
        }
        switch (request.Kind)
        {
            case RequestKind.Status:
                AnswerStatus(target);
                return;
            case RequestKind.Modules:
                AnswerOnce(ref _modulesAnswered, ControlAddresses.Modules, Model.ToJson);
                return;
            case RequestKind.Levels:
                if (FirstInPacket(ref _levelsAnswered))
                {
                    ReplyLevels(target);
                }
                return;
            case RequestKind.Events:
                if (FirstInPacket(ref _eventsAnswered))
                {
                    ReplyEvents(request.Argument);
                }
                return;
            case RequestKind.PatchCurrent:
                if (FirstInPacket(ref _patchAnswered))
                {
                    ReplyPatch(request.Argument);
                }
                return;
        }
        _pending.Add(new Pending(request, timeTag));
        _staged?.Apply(request.Commands);
    }

    // Its own method: a lambda capturing `target` in Collect would allocate its closure on every call of Collect, for
    // every request (C# allocates a closure where the captured variable's scope begins: here, the method's entry).
    private void AnswerStatus(IEngineTarget target) => AnswerOnce(ref _statusAnswered, ControlAddresses.Status, () => StatusJson(target));

    /// <summary>One answer of each query kind per packet: a bundle of a thousand status requests gets one reply.</summary>
    private void AnswerOnce(ref bool answered, string address, Func<string> text)
    {
        if (FirstInPacket(ref answered))
        {
            ReplyText(address, text());
        }
    }

    /// <summary>The model the next message is validated against: the real one, or a staged copy with this packet's changes.</summary>
    private GraphModel ValidationModel()
    {
        if (_pending.Count == 0)
        {
            return Model;
        }
        if (_staged == null)
        {
            _staged = Model.Clone();
            foreach (Pending p in _pending)
            {
                _staged.Apply(p.Request.Commands);
            }
        }
        return _staged;
    }

    private void Commit(IEngineTarget target)
    {
        if (_anyRefused || (_pending.Count > 1 && _pending.Exists(p => p.Request.Kind == RequestKind.PatchLoad)))
        {
            string why = _anyRefused ? BundleRefused : PatchLoadAlone;
            foreach (Pending p in _pending)
            {
                Refuse(target);
                ReplyError(p.Request.Address, why);
            }
            return;
        }
        if (_pending.Count == 1 && _pending[0].Request.Kind == RequestKind.PatchLoad)
        {
            StartPatchLoad(target, _pending[0].Request);
            return;
        }
        if (!TrySubmitAll(target, out string error))
        {
            foreach (Pending p in _pending)
            {
                Rejected++;
                ReplyError(p.Request.Address, error);
            }
            return;
        }
        foreach (Pending p in _pending)
        {
            if (p.Request.Kind == RequestKind.Fault)
            {
                InjectFault(target, p.Request);
                continue;
            }
            Model.Apply(p.Request.Commands);
            Accepted++;
            ReplyDone(p.Request.Address);
        }
    }

    /// <summary>Every submission of the packet in one call: runs of messages sharing a time tag become one group each.</summary>
    private bool TrySubmitAll(IEngineTarget target, out string error)
    {
        _groups.Clear();
        int used = 0;
        int i = 0;
        while (i < _pending.Count)
        {
            if (!_pending[i].Request.IsSubmission)
            {
                i++;
                continue;
            }
            if (used == _groupRecords.Count)
            {
                _groupRecords.Add([]);
            }
            List<CommandRecord> records = _groupRecords[used++];
            records.Clear();
            OscTimeTag tag = _pending[i].TimeTag;
            for (; i < _pending.Count && _pending[i].Request.IsSubmission && _pending[i].TimeTag == tag; i++)
            {
                AddRecords(records, _pending[i].Request.Commands);
            }
            if (!TryAtBlock(target, tag, out long block, out int frame))
            {
                error = $"a time tag more than {Limits.MaxScheduleAheadSeconds:0} s ahead is refused (it would otherwise play early): nothing applied";
                return false;
            }
            _groups.Add(new CommandGroup(records, block, frame));
        }
        error = "";
        return _groups.Count == 0 || target.TrySubmit(_groups, out error);
    }

    private static void AddRecords(List<CommandRecord> records, IReadOnlyList<ControlCommand> commands)
    {
        for (int i = 0; i < commands.Count; i++) // indexed: a foreach over the interface allocates its enumerator
        {
            ControlCommand c = commands[i];
            records.Add(CommandRecord.Create((int)c.Kind, 0, 0, c.Id, c.RecordName, c.Value, c.Value2));
        }
    }

    private void StartPatchLoad(IEngineTarget target, ControlRequest request)
    {
        if (_warming)
        {
            return; // the warm-up JITs the request path, not a file read
        }
        if (!_loader.TryStart(request, _sender, out string error))
        {
            Refuse(target);
            ReplyError(request.Address, error);
        }
    }

    /// <summary>Submits a patch whose load has finished, and answers whoever asked for it. Control thread.</summary>
    private void CompletePatchLoad(IEngineTarget target)
    {
        if (!_loader.TryTake(out IReadOnlyList<ControlCommand>? commands, out string error))
        {
            return;
        }
        SubmitPatch(target, _loader.Request!, commands, error, _loader.ReplyTo!);
    }

    /// <summary>Submits a loaded patch whole (or answers the load's error). Control thread; also run by the warm-up.</summary>
    private void SubmitPatch(IEngineTarget target, ControlRequest request, IReadOnlyList<ControlCommand>? commands, string error, SocketAddress replyTo)
    {
        _budget.BeginPacket();
        if (commands != null)
        {
            var records = new List<CommandRecord>(commands.Count);
            AddRecords(records, commands);
            if (target.TrySubmit([new CommandGroup(records)], out error))
            {
                Model.Apply(commands);
                Accepted++;
                ReplyDone(request.Address, replyTo);
                return;
            }
            error = $"patch \"{request.PatchName}\" not loaded, nothing changed: {error}";
        }
        Refuse(target);
        ReplyError(request.Address, error, replyTo);
    }

    private static bool TryAtBlock(IEngineTarget target, OscTimeTag tag, out long block, out int frame)
    {
        if (tag.IsImmediate)
        {
            (block, frame) = (-1, 0);
            return true;
        }
        // Re-read the wall clock for every timed group, so a stepped wall clock never skews later bundles.
        var reference = OscTimeReference.CaptureNow();
        return BundleTiming.TryMap(tag, reference, reference.StopwatchTimestamp, target.NextBlock, target.SampleRate,
                                   target.BlockFrames, out block, out frame);
    }

    private void InjectFault(IEngineTarget target, ControlRequest request)
    {
        if (target.TryInjectFault(request.FaultSlot, ToCommandKind(request.Fault), request.FaultValue, request.FaultValue2, out string error))
        {
            Accepted++;
            ReplyDone(request.Address);
        }
        else
        {
            Refuse(target);
            ReplyError(request.Address, $"{request.Address}: {error}");
        }
    }

    private void Refuse(IEngineTarget target)
    {
        Rejected++;
        target.CountRejected();
    }

    /// <summary>The address of a packet that failed to parse, if it starts like a message ('/' ... NUL).</summary>
    private static bool TryReadAddress(ReadOnlySpan<byte> packet, out ReadOnlySpan<byte> address)
    {
        int end = packet.IndexOf((byte)0);
        address = end > 0 && packet[0] == (byte)'/' ? packet[..end] : default;
        return !address.IsEmpty;
    }

    private readonly record struct Pending(ControlRequest Request, OscTimeTag TimeTag);

    /// <summary>Counts the messages of a packet without reading them.</summary>
    private struct Counter : IOscMessageVisitor
    {
        public int Messages;

        public void Visit(OscMessageReader message, OscTimeTag timeTag) => Messages++;
    }

    /// <summary>Passes each message of the walked packet to <see cref="Collect"/>; a struct, so the walk does not box.</summary>
    private readonly struct Collector(OscControlServer server, IEngineTarget target) : IOscMessageVisitor
    {
        public void Visit(OscMessageReader message, OscTimeTag timeTag) => server.Collect(target, message, timeTag);
    }
}
