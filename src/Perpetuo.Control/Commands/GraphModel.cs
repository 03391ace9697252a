using Perpetuo.Control.Catalog;
using Perpetuo.Control.Journal;
using Perpetuo.Control.Patches;
using Perpetuo.Protocol;

namespace Perpetuo.Control.Commands;

/// <summary>
/// The supervisor's own model of the module graph: which modules exist, in chain order, and the last accepted
/// value of each parameter. It starts as the patch given to play and follows every accepted command, so requests
/// can be validated (does this id exist? what type is it?) without asking a worker, and `/perpetuo/modules` can
/// answer without one.
/// </summary>
/// <remarks>
/// Control thread only. A parameter set with a ramp is recorded at its target value. The model follows what
/// was accepted, not what has already been heard: a command stamped for a later block shows here at once.
/// </remarks>
public sealed class GraphModel
{
    private readonly List<ModuleState> _modules;

    public GraphModel(ModuleCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        Catalog = catalog;
        _modules = [];
    }

    private GraphModel(GraphModel other)
    {
        Catalog = other.Catalog;
        _modules = other._modules.Select(m => m.Clone()).ToList();
        Version = other.Version;
    }

    public ModuleCatalog Catalog { get; }

    /// <summary>The modules in chain order.</summary>
    public IReadOnlyList<ModuleState> Modules => _modules;

    /// <summary>
    /// Graph commands followed so far (adds, removals, clears, parameter sets; never notes): a reader that saw the
    /// modules at one version knows they are unchanged while the version is (`/perpetuo/levels` reports it).
    /// </summary>
    public long Version { get; private set; }

    /// <summary>The model of <paramref name="patch"/>, which must already be valid against <paramref name="catalog"/>.</summary>
    /// <exception cref="PatchException">The patch does not validate.</exception>
    public static GraphModel FromPatch(PatchSpec patch, ModuleCatalog catalog)
    {
        PatchValidator.Validate(patch, catalog);
        var model = new GraphModel(catalog);
        foreach (ControlCommand c in PatchCommands(patch, clearFirst: false))
        {
            model.Apply(c);
        }
        return model;
    }

    /// <summary>The commands that build <paramref name="patch"/>: AddModule then its SetParams, per module.</summary>
    public static List<ControlCommand> PatchCommands(PatchSpec patch, bool clearFirst)
    {
        ArgumentNullException.ThrowIfNull(patch);
        var list = new List<ControlCommand>();
        if (clearFirst)
        {
            list.Add(new ControlCommand(CommandKind.ClearModules, "", "", 0, 0));
        }
        foreach (ModuleSpec m in patch.Modules)
        {
            list.Add(ControlCommand.AddModule(m.Type, m.Id));
            foreach (KeyValuePair<string, float> p in m.Params)
            {
                list.Add(ControlCommand.SetParam(m.Id, p.Key, p.Value));
            }
        }
        return list;
    }

    /// <summary>The module with id <paramref name="id"/>, or null.</summary>
    public ModuleState? Find(string id)
    {
        foreach (ModuleState m in _modules)
        {
            if (m.Id == id)
            {
                return m;
            }
        }
        return null;
    }

    /// <summary>A deep copy, for validating several requests in a row without touching this model.</summary>
    public GraphModel Clone() => new(this);

    /// <summary>Follows one accepted command. Commands that do not change the graph (notes) are ignored.</summary>
    public void Apply(ControlCommand command)
    {
        switch (command.Kind)
        {
            case CommandKind.AddModule:
                ModuleTypeInfo type = Catalog.Find(command.Name)
                    ?? throw new InvalidOperationException($"module type \"{command.Name}\" was not validated");
                _modules.Add(new ModuleState(command.Id, type));
                break;
            case CommandKind.RemoveModule:
                Remove(command.Id);
                break;
            case CommandKind.ClearModules:
                _modules.Clear();
                break;
            case CommandKind.SetParam:
                Find(command.Id)?.Set(command.Name, command.Value);
                break;
            default:
                return;
        }
        Version++;
    }

    // Its own method: a lambda capturing `command` in Apply would allocate its closure on every call of Apply, for every
    // parameter change and note (C# allocates it where the captured variable's scope begins: the method's entry).
    private void Remove(string id) => _modules.RemoveAll(m => m.Id == id);

    /// <summary>Follows every command of an accepted request, in order.</summary>
    public void Apply(IReadOnlyList<ControlCommand> commands)
    {
        ArgumentNullException.ThrowIfNull(commands);
        for (int i = 0; i < commands.Count; i++)
        {
            Apply(commands[i]);
        }
    }

    /// <summary>
    /// <c>[{"id":"filter","type":"filter","params":[{"name":"cutoff","value":1400,"min":20,"max":20000}]}]</c>,
    /// the `/perpetuo/modules` reply.
    /// </summary>
    public string ToJson() => ModuleJson.ToJson(ToModuleJson());

    /// <summary>
    /// The graph as a patch: every module in chain order with every parameter at its current (or ramp target)
    /// value, so that loading it builds this graph again (the `/perpetuo/patch/current` reply).
    /// </summary>
    public PatchSpec ToPatch() =>
        new(_modules.Select(m => new ModuleSpec(m.Type.Type, m.Id,
            m.Type.Params.Select((p, i) => new KeyValuePair<string, float>(p.Name, m.Values[i])).ToList())).ToList());

    /// <summary>The modules in chain order as the modules JSON's records.</summary>
    public IReadOnlyList<ModuleJson> ToModuleJson() =>
        _modules.Select(m => new ModuleJson(m.Id, m.Type.Type,
            m.Type.Params.Select((p, i) => new ParamJson(p.Name, m.Values[i], p.Min, p.Max)).ToList()) { LatencyFrames = m.Type.LatencyFrames }).ToList();
}
