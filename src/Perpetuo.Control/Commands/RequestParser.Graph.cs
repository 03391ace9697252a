using Perpetuo.Control.Catalog;
using Perpetuo.Control.Journal;
using Perpetuo.Control.Patches;
using Perpetuo.Protocol;

namespace Perpetuo.Control.Commands;

// Requests that change the module graph, and fault injection.
public static partial class RequestParser
{
    private const string ModuleAddUsage = "/perpetuo/module/add ,ss[sf...] type id [parameter value]...";
    private const string ModuleRemoveUsage = "/perpetuo/module/remove ,s id";
    private const string ModuleRestoreUsage = "/perpetuo/module/restore ,s id";
    private const string ModulePresetUsage = "/perpetuo/module/preset ,ss id preset (its URI or number: perpetuo plugins URI lists them)";
    private const string PatchLoadUsage = "/perpetuo/patch/load ,s name.json (a file in the directory play was given with --patch-dir)";
    private const string FaultUsage = "/perpetuo/fault ,is[f[f]] slot crash|hang|stall|nan|corrupt|snapshot|diverge [value [value2]]";

    private static bool TryModuleAdd(ref Args args, GraphModel model, out ControlRequest? request)
    {
        request = null;
        if (!args.TryString(ModuleAddUsage, "type", out string typeName)
            || !args.TryString(ModuleAddUsage, "id", out string id))
        {
            return false;
        }
        var commands = new List<ControlCommand> { ControlCommand.AddModule(typeName, id) };
        while (args.HasMore)
        {
            if (!args.TryString(ModuleAddUsage, "parameter", out string name)
                || !args.TryNumber(ModuleAddUsage, "value", out float value))
            {
                return false;
            }
            commands.Add(ControlCommand.SetParam(id, name, value));
        }
        ModuleTypeInfo? type = model.Catalog.Find(typeName, out string unknown);
        if (type == null)
        {
            return args.Fail(unknown);
        }
        string? idProblem = Names.CheckId(id);
        if (idProblem != null)
        {
            return args.Fail(idProblem);
        }
        if (model.Find(id) != null)
        {
            return args.Fail($"a module with id \"{id}\" already exists; remove it first or choose another id");
        }
        if (model.Modules.Count >= Limits.MaxModules)
        {
            // A chain the snapshot cannot describe could never be resynced: refuse it here, before it is stamped.
            return args.Fail($"the chain already has {model.Modules.Count} modules, the most a worker can hold; remove one first");
        }
        for (int i = 1; i < commands.Count; i++)
        {
            if (!TryCheckParam(ref args, type, id, commands[i].Name, commands[i].Value))
            {
                return false;
            }
        }
        request = ControlRequest.ForCommands(args.Address, commands);
        return true;
    }

    private static bool TryModuleRemove(ref Args args, GraphModel model, out ControlRequest? request) =>
        TryOneModule(ref args, model, ModuleRemoveUsage, CommandKind.RemoveModule, out request);

    /// <summary>A request naming one existing module and nothing else: remove, restore.</summary>
    private static bool TryOneModule(ref Args args, GraphModel model, string usage, CommandKind kind, out ControlRequest? request)
    {
        request = null;
        return args.TryString(usage, "id", out string id)
            && args.TryEnd(usage)
            && TryFindModule(ref args, model, id, out _)
            && Commands(args.Address, out request, new ControlCommand(kind, id, "", 0, 0));
    }

    /// <summary>
    /// Lifts a quarantine: accepted for any module of the chain (a module that is not quarantined when the command
    /// takes effect is left as it is), so a restore sent just as a fault is being decided is never refused.
    /// </summary>
    private static bool TryModuleRestore(ref Args args, GraphModel model, out ControlRequest? request) =>
        TryOneModule(ref args, model, ModuleRestoreUsage, CommandKind.Restore, out request);

    /// <summary>
    /// A plugin module's preset: its number in the module's preset parameter (the workers restore the preset's own
    /// state with it) and its values, in one submission, so it applies at one stamp, journaled as parameters.
    /// </summary>
    private static bool TryModulePreset(ref Args args, GraphModel model, out ControlRequest? request)
    {
        request = null;
        if (!args.TryString(ModulePresetUsage, "id", out string id)
            || !args.TryString(ModulePresetUsage, "preset", out string name)
            || !args.TryEnd(ModulePresetUsage)
            || !TryFindModule(ref args, model, id, out ModuleState? module))
        {
            return false;
        }
        PresetInfo? preset = module!.Type.FindPreset(name);
        if (preset == null)
        {
            return args.Fail(PatchValidator.UnknownPreset(module.Type, name));
        }
        var commands = new List<ControlCommand>();
        foreach ((string param, float value) in PatchPresets.Parameters(module.Type, preset))
        {
            if (!TryCheckParam(ref args, module.Type, id, param, value))
            {
                return false;
            }
            commands.Add(ControlCommand.SetParam(id, param, value));
        }
        request = ControlRequest.ForCommands(args.Address, commands);
        return true;
    }

    /// <summary>
    /// Only names the patch: the file is read, parsed and validated off the control thread by the server's
    /// <c>PatchLoader</c>, and the patch is then submitted whole or not at all.
    /// </summary>
    private static bool TryPatchLoad(ref Args args, out ControlRequest? request)
    {
        request = null;
        if (!args.TryString(PatchLoadUsage, "name", out string name) || !args.TryEnd(PatchLoadUsage))
        {
            return false;
        }
        string? problem = PatchDirectory.CheckName(name);
        if (problem != null)
        {
            return args.Fail(problem);
        }
        request = ControlRequest.ForPatchLoad(args.Address, name);
        return true;
    }

    private static bool TryFault(ref Args args, out ControlRequest? request)
    {
        request = null;
        if (!args.TryNumber(FaultUsage, "slot", out float slot) || !args.TryString(FaultUsage, "kind", out string kindName))
        {
            return false;
        }
        float value = float.NaN;
        float value2 = float.NaN;
        if ((args.HasMore && !args.TryNumber(FaultUsage, "value", out value))
            || (args.HasMore && !args.TryNumber(FaultUsage, "value2", out value2))
            || !args.TryEnd(FaultUsage))
        {
            return false;
        }
        if (slot is < 0 or > 63 || slot != MathF.Floor(slot))
        {
            return args.Fail($"slot must be a whole number (0 or 1), got {Format(slot)}");
        }
        FaultKind? kind = kindName switch
        {
            "crash" => FaultKind.Crash,
            "hang" => FaultKind.Hang,
            "stall" => FaultKind.Stall,
            "nan" => FaultKind.Nan,
            "corrupt" => FaultKind.Corrupt,
            "snapshot" => FaultKind.Snapshot,
            "diverge" => FaultKind.Diverge,
            _ => null,
        };
        if (kind == null)
        {
            return args.Fail($"unknown fault \"{kindName}\"; known: crash, hang, stall, nan, corrupt, snapshot, diverge");
        }
        // Stall defaults: 20 ms in each of the next 50 blocks (misses, but shorter than a hang timeout).
        value = float.IsNaN(value) ? (kind == FaultKind.Stall ? 20 : 0) : value;
        value2 = float.IsNaN(value2) ? (kind == FaultKind.Stall ? 50 : 0) : value2;
        request = ControlRequest.ForFault(args.Address, (int)slot, kind.Value, value, value2);
        return true;
    }
}
