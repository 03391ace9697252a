using System.Globalization;

namespace Perpetuo.Dsp;

/// <summary>Chain configuration from the control side: validated up front, so a failed call changes nothing.</summary>
public sealed partial class ModuleHost
{
    /// <summary>
    /// Appends a module of <paramref name="type"/> to the chain, with <paramref name="parameters"/> applied immediately
    /// (no ramp) over the defaults: an LV2 plugin's preset (<see cref="Lv2Modules.PresetParam"/>) first, then its own
    /// saved <paramref name="state"/> (<see cref="Lv2State"/>'s JSON), then the other parameters in order.
    /// </summary>
    /// <remarks>Allocates. Call between blocks from the thread that calls <see cref="ProcessChain"/>.</remarks>
    /// <exception cref="DspException">Unknown type, empty/over-long/duplicate id, unknown parameter, NaN/Inf or out-of-range
    /// value, or a state for a module that has none or that its plugin refused. The chain is unchanged.</exception>
    public void AddModule(string type, string id, IEnumerable<KeyValuePair<string, float>>? parameters = null, string? state = null)
    {
        ModuleDescriptor descriptor = ModuleRegistry.Find(type ?? string.Empty, AllowFaultModules)
            ?? throw new DspException($"unknown module type \"{type}\"; known: {ModuleRegistry.TypeNames}");
        Check(IsValidId(id), $"module id \"{id}\" is invalid: it must be 1..{MaxIdLength} characters and not blank");
        Check(IndexOf(id) < 0, $"duplicate module id \"{id}\": the chain already has a module with this id");

        List<(int Index, float Value)> values = [];
        foreach ((string name, float value) in parameters ?? [])
        {
            values.Add((ValidateParam(descriptor, id, name, value), value));
        }

        Module module = ModuleRegistry.Create(descriptor, id, _context);
        try
        {
            int preset = descriptor.IndexOf(Lv2Modules.PresetParam);
            foreach ((int index, float value) in values.Where(v => v.Index == preset)) // a preset first: the state and parameters override it
            {
                module.SetParam(index, value, 0);
            }
            if (state != null)
            {
                module.RestoreState(state);
            }
            foreach ((int index, float value) in values.Where(v => v.Index != preset))
            {
                module.SetParam(index, value, 0);
            }

            module.Reset();
            module.Settle();
        }
        catch (DspException)
        {
            module.OnRemoved(_events); // a plugin's instances are freed
            throw;
        }
        _modules.Add(module);
    }

    /// <summary>The own state of module <paramref name="id"/> (an LV2 plugin's, as a patch's <c>"state"</c> holds it), or null when it keeps none.</summary>
    /// <remarks>Allocates. Call between blocks from the thread that calls <see cref="ProcessChain"/>.</remarks>
    /// <exception cref="DspException">No module has this id, or its plugin could not save its state.</exception>
    public string? SaveState(string id)
    {
        int index = IndexOf(id);
        Check(index >= 0, $"unknown module id \"{id}\"");
        return _modules[index].SaveState();
    }

    /// <summary>Removes module <paramref name="id"/>; a sequencer's sounding note is released at once.</summary>
    /// <remarks>Call between blocks from the thread that calls <see cref="ProcessChain"/>.</remarks>
    /// <exception cref="DspException">No module has this id.</exception>
    public void RemoveModule(string id)
    {
        int index = IndexOf(id);
        Check(index >= 0, $"unknown module id \"{id}\"; known: {string.Join(", ", _modules.Select(m => m.Id))}");
        Module removed = _modules[index];
        _modules.RemoveAt(index);

        // Deliver the removed module's note-offs now (a zero-frame segment), so no note hangs and nothing
        // is left pending outside the snapshot-able state.
        _events.Clear();
        removed.OnRemoved(_events);
        if (_events.Count > 0)
        {
            foreach (Module m in _modules)
            {
                if (!m.Quarantined) // skipped here too: outside the guard, a faulty module's throw would escape
                {
                    m.Process(Span<float>.Empty, 0, _events);
                }
            }

            _events.Clear();
        }
    }

    /// <summary>
    /// Builds the module an AddModule command of <paramref name="type"/> and <paramref name="id"/> will ask for, ahead
    /// and on the calling thread (any thread but the render thread), so that applying the command only adopts it: a
    /// plugin's instantiation (tens of milliseconds for some) then never happens inside a block. Best effort: a
    /// module that cannot be built is built (and refused) when the command applies, as without this.
    /// </summary>
    /// <remarks>Thread-safe. Allocates.</remarks>
    public void Prebuild(string type, string id)
    {
        ModuleDescriptor? d = ModuleRegistry.Find(type ?? string.Empty, AllowFaultModules);
        if (d == null || !IsValidId(id) || _prebuilt.ContainsKey((type!, id)))
        {
            return;
        }
        try
        {
            Module m = ModuleRegistry.Create(d, id, _context);
            if (!_prebuilt.TryAdd((type!, id), m))
            {
                m.OnRemoved(_events); // lost a race with another prebuild of the same: only a plugin holds anything
            }
        }
        catch (DspException)
        {
            // built and refused when the command applies
        }
    }

    /// <summary>Checks one parameter for AddModule and returns its index.</summary>
    private static int ValidateParam(ModuleDescriptor d, string id, string name, float value)
    {
        int index = d.IndexOf(name ?? string.Empty);
        Check(index >= 0, $"unknown parameter \"{name}\" of module type \"{d.Type}\"; known: {d.ParamNames}");
        ParamDescriptor p = d.Params[index];
        string where = $"parameter \"{name}\" of module \"{id}\" ({d.Type})";
        Check(float.IsFinite(value), $"value {Format(value)} of {where} is not a finite number");
        Check(value >= p.Min && value <= p.Max, $"value {Format(value)} of {where} is out of range [{Format(p.Min)}, {Format(p.Max)}]");
        return index;
    }

    private static string Format(float value) => value.ToString(CultureInfo.InvariantCulture);
}
