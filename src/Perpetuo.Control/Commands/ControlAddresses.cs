namespace Perpetuo.Control.Commands;

/// <summary>The OSC address space of the control port (docs/protocol.md). Part of the protocol: do not rename.</summary>
public static class ControlAddresses
{
    public const string Param = "/perpetuo/param";
    public const string NoteOn = "/perpetuo/note/on";
    public const string NoteOff = "/perpetuo/note/off";
    public const string NotesOff = "/perpetuo/notes/off";
    public const string ModuleAdd = "/perpetuo/module/add";
    public const string ModuleRemove = "/perpetuo/module/remove";
    /// <summary>Lifts a module's quarantine (it restarts from its just-configured state, parameters kept).</summary>
    public const string ModuleRestore = "/perpetuo/module/restore";
    /// <summary>Applies one of an LV2 plugin module's presets (by URI or number): its parameters and its own state.</summary>
    public const string ModulePreset = "/perpetuo/module/preset";
    public const string PatchLoad = "/perpetuo/patch/load";
    public const string Status = "/perpetuo/status";
    public const string Modules = "/perpetuo/modules";
    public const string Fault = "/perpetuo/fault";

    /// <summary>The compact live view (counters, slot roles, per-channel peaks): allocation-free, for meters and pages.</summary>
    public const string Levels = "/perpetuo/levels";

    /// <summary>The engine's events after a number (the lines of the events file, from its last few).</summary>
    public const string Events = "/perpetuo/events";

    /// <summary>The current graph as patch JSON (every module, every parameter's value), in parts.</summary>
    public const string PatchCurrent = "/perpetuo/patch/current";

    /// <summary>Reply: the request at this address was accepted (argument: the request's address).</summary>
    public const string Done = "/perpetuo/done";

    /// <summary>Reply: the request was refused and nothing changed (arguments: the request's address, why).</summary>
    public const string Error = "/perpetuo/error";
}
