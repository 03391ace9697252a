using Perpetuo.Control.Commands;
using Perpetuo.Control.Osc;
using Perpetuo.Transport;

namespace Perpetuo.Supervisor.Osc;

// One datagram, start to end. Phase 1 (collect): OscPacket.TryWalk validates the whole packet tree, then hands
// each message here; each is parsed and validated against the graph as the earlier messages of the same packet
// would leave it (a staged copy, made only when a packet has more than one change). Queries are answered at once.
// Phase 2 (commit): if any message was refused, none of the packet's changes is applied (a bundle applies
// completely or not at all); otherwise consecutive messages with the same time tag are submitted in one TrySubmit,
// so they share a stamp. If the engine refuses a submission (command ring full), that group and every later one
// are refused, because later messages may depend on it.
public sealed partial class OscControlServer
{
    private const string BundleRefused = "not applied: another message in the same packet was refused, and a bundle applies completely or not at all";

    private readonly List<Pending> _pending = [];
    private readonly List<CommandRecord> _records = [];
    private GraphModel? _staged;
    private bool _anyRefused;

    private void HandlePacket(IEngineTarget target, ReadOnlySpan<byte> packet)
    {
        _pending.Clear();
        _staged = null;
        _anyRefused = false;
        var collector = new Collector(this, target);
        if (!OscPacket.TryWalk(packet, ref collector, out string? error))
        {
            Malformed++;
            if (TryReadAddress(packet, out ReadOnlySpan<byte> address))
            {
                ReplyError(address, $"malformed OSC packet, ignored: {error}");
            }
            return;
        }
        Commit(target);
    }

    private void Collect(IEngineTarget target, OscMessageReader message, OscTimeTag timeTag)
    {
        if (!RequestParser.TryParse(message, ValidationModel(), out ControlRequest? request, out string? error))
        {
            Refuse(target);
            _anyRefused = true;
            ReplyError(message.Address, error);
            return;
        }
        switch (request.Kind)
        {
            case RequestKind.Status:
                ReplyText(ControlAddresses.Status, StatusJson(target));
                return;
            case RequestKind.Modules:
                ReplyText(ControlAddresses.Modules, Model.ToJson());
                return;
        }
        _pending.Add(new Pending(request, timeTag));
        _staged?.Apply(request.Commands);
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
        string? abort = _anyRefused ? BundleRefused : null;
        int i = 0;
        while (i < _pending.Count)
        {
            ControlRequest first = _pending[i].Request;
            if (abort != null)
            {
                Refuse(target);
                ReplyError(first.Address, abort);
                i++;
            }
            else if (first.Kind == RequestKind.Fault)
            {
                InjectFault(target, first);
                i++;
            }
            else
            {
                int end = GroupEnd(i);
                abort = SubmitGroup(target, i, end);
                i = end;
            }
        }
    }

    /// <summary>End (exclusive) of the run of submissions starting at <paramref name="start"/> that share a time tag.</summary>
    private int GroupEnd(int start)
    {
        int end = start + 1;
        while (end < _pending.Count && _pending[end].Request.IsSubmission && _pending[end].TimeTag == _pending[start].TimeTag)
        {
            end++;
        }
        return end;
    }

    /// <summary>Submits pending[start..end) in one TrySubmit; null on success, else the engine's reason.</summary>
    private string? SubmitGroup(IEngineTarget target, int start, int end)
    {
        _records.Clear();
        for (int i = start; i < end; i++)
        {
            foreach (ControlCommand c in _pending[i].Request.Commands)
            {
                _records.Add(CommandRecord.Create((int)c.Kind, 0, 0, c.Id, c.Name, c.Value, c.Value2));
            }
        }
        (long block, int frame) = AtBlock(target, _pending[start].TimeTag);
        if (!target.TrySubmit(_records, block, frame, out string error, out _))
        {
            for (int i = start; i < end; i++)
            {
                Rejected++;
                ReplyError(_pending[i].Request.Address, error);
            }
            return $"not applied: an earlier message in the same packet was refused: {error}";
        }
        for (int i = start; i < end; i++)
        {
            Model.Apply(_pending[i].Request.Commands);
            Accepted++;
            ReplyDone(_pending[i].Request.Address);
        }
        return null;
    }

    private static (long Block, int Frame) AtBlock(IEngineTarget target, OscTimeTag tag)
    {
        if (tag.IsImmediate)
        {
            return (-1, 0);
        }
        // Re-read the wall clock for every timed group, so a stepped wall clock never skews later bundles.
        var reference = OscTimeReference.CaptureNow();
        return BundleTiming.Map(tag, reference, reference.StopwatchTimestamp, target.NextBlock, target.SampleRate, target.BlockFrames);
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

    /// <summary>Passes each message of the walked packet to <see cref="Collect"/>; a struct, so the walk does not box.</summary>
    private readonly struct Collector(OscControlServer server, IEngineTarget target) : IOscMessageVisitor
    {
        public void Visit(OscMessageReader message, OscTimeTag timeTag) => server.Collect(target, message, timeTag);
    }

}
