namespace Perpetuo.Control.Commands;

/// <summary>
/// A request that passed parsing and semantic validation: nothing in it can be refused by a worker. Built by
/// <see cref="RequestParser"/> on the control thread; immutable after that — one taken from a
/// <see cref="RequestPool"/> until that pool is cleared.
/// </summary>
public sealed class ControlRequest
{
    private ControlRequest(RequestKind kind, string address, IReadOnlyList<ControlCommand> commands)
    {
        Kind = kind;
        Address = address;
        Commands = commands;
    }

    public RequestKind Kind { get; }

    /// <summary>The OSC address the request came in on, for the reply.</summary>
    public string Address { get; private set; }

    /// <summary>Commands that must be applied together, at one stamp (empty for queries and faults).</summary>
    public IReadOnlyList<ControlCommand> Commands { get; }

    /// <summary>A pool's request, made once: one command, of any kind, filled by <see cref="Reuse"/>.</summary>
    internal static ControlRequest ForPool() => new(RequestKind.Commands, "", new ControlCommand[1]);

    /// <summary>Fills a pool's request with <paramref name="command"/>: what a fresh one for it would hold.</summary>
    internal ControlRequest Reuse(string address, ControlCommand command)
    {
        Address = address;
        ((ControlCommand[])Commands)[0] = command;
        return this;
    }

    /// <summary>Fault requests: the worker slot.</summary>
    public int FaultSlot { get; private init; }

    /// <summary>Fault requests: which fault.</summary>
    public FaultKind Fault { get; private init; }

    /// <summary>Fault requests: first optional value (stall: milliseconds per block).</summary>
    public float FaultValue { get; private init; }

    /// <summary>Fault requests: second optional value (stall: number of blocks).</summary>
    public float FaultValue2 { get; private init; }

    /// <summary>Events requests: the last event number the asker has; patch/current requests: the part asked for.</summary>
    public long Argument { get; private init; }

    /// <summary>Patch-load requests: the patch's file name in the patch directory (not yet read).</summary>
    public string PatchName { get; private init; } = "";

    /// <summary>Whether accepting this request changes the graph or the sound (and must be submitted).</summary>
    public bool IsSubmission => Kind == RequestKind.Commands;

    public static ControlRequest ForCommands(string address, IReadOnlyList<ControlCommand> commands) => new(RequestKind.Commands, address, commands);

    /// <summary>A query: one shared instance per kind and address (immutable), so a flood of queries allocates nothing.</summary>
    public static ControlRequest ForQuery(RequestKind kind, string address) =>
        kind == RequestKind.Status && address == ControlAddresses.Status ? StatusQuery
        : kind == RequestKind.Modules && address == ControlAddresses.Modules ? ModulesQuery
        : kind == RequestKind.Levels && address == ControlAddresses.Levels ? LevelsQuery
        : new(kind, address, []);

    /// <summary>A query with a whole-number argument (events: after which number; patch/current: which part).</summary>
    public static ControlRequest ForQuery(RequestKind kind, string address, long argument) =>
        argument == 0 ? ForQuery(kind, address) : new(kind, address, []) { Argument = argument };

    private static readonly ControlRequest StatusQuery = new(RequestKind.Status, ControlAddresses.Status, []);
    private static readonly ControlRequest ModulesQuery = new(RequestKind.Modules, ControlAddresses.Modules, []);
    private static readonly ControlRequest LevelsQuery = new(RequestKind.Levels, ControlAddresses.Levels, []);

    public static ControlRequest ForPatchLoad(string address, string name) => new(RequestKind.PatchLoad, address, []) { PatchName = name };

    public static ControlRequest ForFault(string address, int slot, FaultKind fault, float value, float value2) =>
        new(RequestKind.Fault, address, []) { FaultSlot = slot, Fault = fault, FaultValue = value, FaultValue2 = value2 };
}
