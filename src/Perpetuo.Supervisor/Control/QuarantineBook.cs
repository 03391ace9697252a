using Perpetuo.Protocol;

namespace Perpetuo.Supervisor.Control;

/// <summary>
/// The modules quarantined now, as status reports them: added when a worker reports one (each replica reports
/// it, and a replay reports it again: one entry, one event) or when the supervisor quarantines a culprit; lifted
/// by an accepted restore, removal or re-add of the module, or a patch load. Pure. Control thread only, except
/// <see cref="Entries"/>: an immutable array, replaced whole on each change, so any thread may read it.
/// </summary>
internal sealed class QuarantineBook
{
    /// <summary>Quarantines remembered as seen, so a report repeated by the other replica or a replay is not new.
    /// Far more than a session quarantines; past it the oldest is forgotten.</summary>
    public const int RememberedReports = 1024;

    private QuarantinedModule[] _entries = [];
    private readonly HashSet<(string Module, long Block)> _seen = [];
    private readonly Queue<(string Module, long Block)> _seenOrder = new();

    /// <summary>The modules quarantined now, oldest first.</summary>
    public IReadOnlyList<QuarantinedModule> Entries => Volatile.Read(ref _entries);

    /// <summary>Quarantines ever added (each one once).</summary>
    public long Total { get; private set; }

    /// <summary>Adds a quarantine of <paramref name="module"/> from <paramref name="block"/>; false if this one was seen already.</summary>
    public bool Add(string module, long block, QuarantineReason reason)
    {
        if (!_seen.Add((module, block)))
        {
            return false;
        }
        _seenOrder.Enqueue((module, block));
        if (_seenOrder.Count > RememberedReports)
        {
            _seen.Remove(_seenOrder.Dequeue());
        }
        Publish([.. _entries.Where(e => e.Module != module), new QuarantinedModule(module, block, QuarantineReasons.Name(reason))]);
        Total++;
        return true;
    }

    /// <summary>Names the reason of <paramref name="module"/>'s quarantine from <paramref name="block"/> anew, if it is still in force.</summary>
    public void Relabel(string module, long block, QuarantineReason reason)
    {
        string name = QuarantineReasons.Name(reason);
        if (_entries.Any(e => e.Module == module && e.Block == block && e.Reason != name))
        {
            Publish([.. _entries.Select(e => e.Module == module && e.Block == block ? e with { Reason = name } : e)]);
        }
    }

    /// <summary>Follows an accepted command: a restore, a removal or a re-add lifts the module's quarantine, a clear lifts all.</summary>
    public void OnAccepted(CommandKind kind, string module)
    {
        switch (kind)
        {
            case CommandKind.Restore:
            case CommandKind.RemoveModule:
            case CommandKind.AddModule:
                if (_entries.Any(e => e.Module == module))
                {
                    Publish([.. _entries.Where(e => e.Module != module)]);
                }
                break;
            case CommandKind.ClearModules:
                Publish([]);
                break;
        }
    }

    private void Publish(QuarantinedModule[] entries) => Volatile.Write(ref _entries, entries); // release: built before shown
}

/// <summary>A quarantined module in status: its id, the block it was bypassed from, and why (crash, hang, nan, exception).</summary>
public sealed record QuarantinedModule(string Module, long Block, string Reason);
