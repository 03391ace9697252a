using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Perpetuo.Control.Catalog;
using Perpetuo.Control.Journal;
using Perpetuo.Control.Osc;
using Perpetuo.Control.Patches;
using Perpetuo.Protocol;

namespace Perpetuo.Control.Commands;

// Design: parsing and semantic validation are one step, so a request either comes out complete and valid
// against the current graph model (nothing in it can be refused by a worker) or does not come out at all, with a
// sentence that says what to fix. The parser never changes the model; the caller applies an accepted request's
// commands to it once the engine has taken them. Numbers are accepted as i, h, f or d, because liblo and many
// hardware controllers send integers for float parameters.

/// <summary>Turns one OSC message of the control address space into a validated <see cref="ControlRequest"/>.</summary>
/// <remarks>
/// Control thread only. Allocates the request and its strings (one per id or name); an error allocates its
/// message. `/perpetuo/patch/load` reads the patch file here, on the calling thread.
/// </remarks>
public static partial class RequestParser
{
    private const string ParamUsage = "/perpetuo/param ,ssf[f] module-id parameter value [ramp-seconds]";
    private const string NoteOnUsage = "/perpetuo/note/on ,if note(0..127) velocity(0..1)";
    private const string NoteOffUsage = "/perpetuo/note/off ,i note(0..127)";
    private const string NotesOffUsage = "/perpetuo/notes/off (no arguments)";
    private const string EventsUsage = "/perpetuo/events [,h after] (the last event number you have; default 0)";
    private const string PatchCurrentUsage = "/perpetuo/patch/current [,i part] (default 0)";

    /// <summary>Largest whole number a query argument may be: every integer up to it is exact as a double.</summary>
    private const double MaxQueryArgument = 1L << 53;

    /// <summary>Longest ramp accepted, in seconds.</summary>
    public const float MaxRampSeconds = Perpetuo.Protocol.Limits.MaxRampSeconds;

    /// <summary>
    /// Parses and validates <paramref name="message"/> against <paramref name="model"/> (ids, types, parameters,
    /// ranges). Returns false, with a message a person can act on, for anything that would be refused.
    /// </summary>
    /// <param name="pool">Where a request of one command (a parameter, a note) comes from, or null: a new one.</param>
    public static bool TryParse(OscMessageReader message, GraphModel model, [NotNullWhen(true)] out ControlRequest? request,
                                [NotNullWhen(false)] out string? error, RequestPool? pool = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        request = null;
        string address = Strings.Get(message.Address);
        var args = new Args(message, address, pool);
        bool ok = address switch
        {
            ControlAddresses.Param => TryParam(ref args, model, out request),
            ControlAddresses.NoteOn => TryNoteOn(ref args, out request),
            ControlAddresses.NoteOff => TryNoteOff(ref args, out request),
            ControlAddresses.NotesOff => TryNoArguments(ref args, NotesOffUsage, out request)
                && One(ref args, out request, new ControlCommand(CommandKind.AllNotesOff, "", "", 0, 0)),
            ControlAddresses.ModuleAdd => TryModuleAdd(ref args, model, out request),
            ControlAddresses.ModuleRemove => TryModuleRemove(ref args, model, out request),
            ControlAddresses.ModuleRestore => TryModuleRestore(ref args, model, out request),
            ControlAddresses.ModulePreset => TryModulePreset(ref args, model, out request),
            ControlAddresses.PatchLoad => TryPatchLoad(ref args, out request),
            ControlAddresses.Status => TryNoArguments(ref args, ControlAddresses.Status + " (no arguments)", out request)
                && Query(RequestKind.Status, address, out request),
            ControlAddresses.Modules => TryNoArguments(ref args, ControlAddresses.Modules + " (no arguments)", out request)
                && Query(RequestKind.Modules, address, out request),
            ControlAddresses.Fault => TryFault(ref args, out request),
            ControlAddresses.Levels => TryNoArguments(ref args, ControlAddresses.Levels + " (no arguments)", out request)
                && Query(RequestKind.Levels, address, out request),
            ControlAddresses.Events => TryNumberedQuery(ref args, RequestKind.Events, EventsUsage, "after", out request),
            ControlAddresses.PatchCurrent => TryNumberedQuery(ref args, RequestKind.PatchCurrent, PatchCurrentUsage, "part", out request),
            _ => args.Fail($"unknown address \"{address}\"; known: {string.Join(", ", KnownAddresses)} (see docs/protocol.md)"),
        };
        error = ok ? null : args.Error ?? "invalid request";
        return ok;
    }

    /// <summary>Every request address, for error messages and help.</summary>
    public static IReadOnlyList<string> KnownAddresses { get; } =
    [
        ControlAddresses.Param, ControlAddresses.NoteOn, ControlAddresses.NoteOff, ControlAddresses.NotesOff,
        ControlAddresses.ModuleAdd, ControlAddresses.ModuleRemove, ControlAddresses.ModuleRestore, ControlAddresses.ModulePreset,
        ControlAddresses.PatchLoad,
        ControlAddresses.Status, ControlAddresses.Modules, ControlAddresses.Fault, ControlAddresses.Levels,
        ControlAddresses.Events, ControlAddresses.PatchCurrent,
    ];

    private static bool TryParam(ref Args args, GraphModel model, out ControlRequest? request)
    {
        request = null;
        if (!args.TryString(ParamUsage, "module-id", out string id)
            || !args.TryString(ParamUsage, "parameter", out string name)
            || !args.TryNumber(ParamUsage, "value", out float value))
        {
            return false;
        }
        float ramp = 0;
        if (args.HasMore && !args.TryNumber(ParamUsage, "ramp-seconds", out ramp))
        {
            return false;
        }
        if (!args.TryEnd(ParamUsage)
            || !TryFindModule(ref args, model, id, out ModuleState? module)
            || !TryCheckParam(ref args, module.Type, id, name, value))
        {
            return false;
        }
        if (!float.IsFinite(ramp) || ramp < 0 || ramp > MaxRampSeconds)
        {
            return args.Fail($"ramp must be 0..{MaxRampSeconds} seconds, got {Format(ramp)}");
        }
        return One(ref args, out request, ControlCommand.SetParam(id, name, value, ramp));
    }

    private static bool TryNoteOn(ref Args args, out ControlRequest? request)
    {
        request = null;
        if (!args.TryNumber(NoteOnUsage, "note", out float note)
            || !args.TryNumber(NoteOnUsage, "velocity", out float velocity)
            || !args.TryEnd(NoteOnUsage)
            || !TryCheckNote(ref args, note))
        {
            return false;
        }
        if (velocity is < 0 or > 1)
        {
            return args.Fail($"velocity must be 0..1, got {Format(velocity)}");
        }
        return One(ref args, out request, new ControlCommand(CommandKind.NoteOn, "", "", note, velocity));
    }

    private static bool TryNoteOff(ref Args args, out ControlRequest? request)
    {
        request = null;
        return args.TryNumber(NoteOffUsage, "note", out float note)
            && args.TryEnd(NoteOffUsage)
            && TryCheckNote(ref args, note)
            && One(ref args, out request, new ControlCommand(CommandKind.NoteOff, "", "", note, 0));
    }

    private static bool TryCheckNote(ref Args args, float note) =>
        note is >= 0 and <= 127 && note == MathF.Floor(note)
            || args.Fail($"note must be a whole number 0..127, got {Format(note)}");

    private static bool TryNoArguments(ref Args args, string usage, out ControlRequest? request)
    {
        request = null;
        return args.TryEnd(usage);
    }

    /// <summary>A query with one optional whole-number argument (0 when absent).</summary>
    private static bool TryNumberedQuery(ref Args args, RequestKind kind, string usage, string what, out ControlRequest? request)
    {
        request = null;
        double number = 0;
        if (args.HasMore && !args.TryWhole(usage, what, MaxQueryArgument, out number))
        {
            return false;
        }
        if (!args.TryEnd(usage))
        {
            return false;
        }
        request = ControlRequest.ForQuery(kind, args.Address, (long)number);
        return true;
    }

    private static bool TryFindModule(ref Args args, GraphModel model, string id, [NotNullWhen(true)] out ModuleState? module)
    {
        module = model.Find(id);
        if (module != null)
        {
            return true;
        }
        string known = model.Modules.Count == 0 ? "there are none" : string.Join(", ", model.Modules.Select(m => m.Id));
        return args.Fail($"unknown module id \"{id}\"; modules: {known}");
    }

    private static bool TryCheckParam(ref Args args, ModuleTypeInfo type, string id, string name, float value)
    {
        string? problem = PatchValidator.CheckParam(type, name, value);
        return problem == null || args.Fail($"module \"{id}\": {problem}");
    }

    [ThreadStatic]
    private static Utf8Strings? t_strings;

    /// <summary>The strings of requests seen so far on this thread (one pool per thread: no lock, no sharing).</summary>
    private static Utf8Strings Strings => t_strings ??= new Utf8Strings();

    /// <summary>A request of one command: from the caller's pool when it gave one.</summary>
    private static bool One(ref Args args, out ControlRequest? request, ControlCommand command)
    {
        request = args.Pool != null ? args.Pool.For(args.Address, command) : ControlRequest.ForCommands(args.Address, [command]);
        return true;
    }

    private static bool Commands(string address, out ControlRequest? request, params ControlCommand[] commands)
    {
        request = ControlRequest.ForCommands(address, commands);
        return true;
    }

    private static bool Query(RequestKind kind, string address, out ControlRequest? request)
    {
        request = ControlRequest.ForQuery(kind, address);
        return true;
    }

    internal static string Format(float v) => v.ToString("R", CultureInfo.InvariantCulture);
}
