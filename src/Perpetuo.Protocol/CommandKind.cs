namespace Perpetuo.Protocol;

/// <summary>
/// The one definition of what a command asks for, wherever it travels: a command record in a slot's ring, a DSP
/// command in a worker's host, a line of the journal. Values 1..9 are DSP commands (applied by the module host, in
/// the journal, replayed by `render --journal`); the rest are the worker loop's own (snapshots, fault injection)
/// and never journaled. Part of the region and journal formats: do not renumber.
/// </summary>
public enum CommandKind
{
    /// <summary>Id = module, Name = parameter, Value = value, Value2 = ramp seconds.</summary>
    SetParam = 1,
    /// <summary>Value = MIDI note, Value2 = velocity 0..1.</summary>
    NoteOn = 2,
    /// <summary>Value = MIDI note.</summary>
    NoteOff = 3,
    AllNotesOff = 4,
    /// <summary>Name = module type, Id = module id (parameters follow as SetParam at the same stamp).</summary>
    AddModule = 5,
    /// <summary>Id = module id.</summary>
    RemoveModule = 6,
    /// <summary>Removes every module (a patch load sends this, then the new modules).</summary>
    ClearModules = 7,
    /// <summary>
    /// Id = module, Name = the reason (<see cref="QuarantineReason"/>, by name): from this block on the module is
    /// bypassed (its input passes through; a generator is silent). Decided by the supervisor after a deterministic
    /// crash or hang; a NaN or an exception the workers catch themselves and only journal.
    /// </summary>
    Quarantine = 8,
    /// <summary>Id = module: lifts its quarantine and resets it to its just-configured state (parameters kept).</summary>
    Restore = 9,

    /// <summary>Publish a snapshot of the DSP state at the start of the stamped block.</summary>
    Snapshot = 32,

    /// <summary>
    /// Id = module: the quarantine of that module at the stamped block written before it in this ring (by the
    /// supervisor's deadline switch, ahead of need) is void — the leaders finished the block after all. Both are in the
    /// ring before the worker may render the block, so it applies neither.
    /// </summary>
    CancelQuarantine = 33,

    /// <summary>Fault injection: die at once (SIGKILL to itself).</summary>
    FaultCrash = 64,
    /// <summary>Fault injection: stop (SIGSTOP to itself).</summary>
    FaultHang = 65,
    /// <summary>Fault injection: sleep Value milliseconds in each of the next Value2 blocks.</summary>
    FaultStall = 66,
    /// <summary>Fault injection: publish the stamped block full of NaN.</summary>
    FaultNan = 67,
    /// <summary>Fault injection: scribble an impossible write position into the header.</summary>
    FaultCorruptHeader = 68,
    /// <summary>Fault injection: flip one bit of the next snapshot this worker publishes (it then fails its checksum).</summary>
    FaultCorruptSnapshot = 69,
    /// <summary>Fault injection: add a small offset to every block published from now on (a silently wrong replica).</summary>
    FaultDiverge = 70,
}
