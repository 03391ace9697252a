using Perpetuo.Protocol;

namespace Perpetuo.Dsp;

/// <summary>Validation and application of queued commands. Nothing here throws or allocates (except AddModule).</summary>
public sealed partial class ModuleHost
{
    private static bool IsWellFormed(in DspCommand c)
    {
        if (c.FrameOffset < 0 || !float.IsFinite(c.Value) || !float.IsFinite(c.Value2))
        {
            return false;
        }

        return c.Kind switch
        {
            CommandKind.SetParam => !string.IsNullOrEmpty(c.ModuleId) && !string.IsNullOrEmpty(c.Name)
                && c.Value2 >= 0 && c.Value2 <= MaxRampSeconds,
            CommandKind.NoteOn => IsNote(c.Value) && c.Value2 >= 0 && c.Value2 <= 1,
            CommandKind.NoteOff => IsNote(c.Value),
            CommandKind.AllNotesOff or CommandKind.ClearModules => true,
            CommandKind.AddModule => IsValidId(c.ModuleId) && !string.IsNullOrEmpty(c.Name),
            CommandKind.RemoveModule or CommandKind.Restore => !string.IsNullOrEmpty(c.ModuleId),
            CommandKind.Quarantine => !string.IsNullOrEmpty(c.ModuleId),
            _ => false,
        };
    }

    private static bool IsNote(float value) => value >= 0 && value <= 127;

    /// <summary>Applies one well-formed command at the start of the current segment; counts it if it cannot apply.</summary>
    private void Apply(in DspCommand c)
    {
        bool applied = c.Kind switch
        {
            CommandKind.SetParam => ApplySetParam(c),
            CommandKind.NoteOn when c.Value2 > 0 => AddEvent(NoteEventKind.NoteOn, c.Value, c.Value2),
            CommandKind.NoteOn or CommandKind.NoteOff => AddEvent(NoteEventKind.NoteOff, c.Value, 0),
            CommandKind.AllNotesOff => AddEvent(NoteEventKind.AllNotesOff, 0, 0),
            CommandKind.AddModule => ApplyAddModule(c),
            CommandKind.RemoveModule => ApplyRemoveModule(IndexOf(c.ModuleId)),
            CommandKind.Quarantine => ApplyQuarantine(IndexOf(c.ModuleId), quarantined: true),
            CommandKind.Restore => ApplyQuarantine(IndexOf(c.ModuleId), quarantined: false),
            _ => ApplyClearModules(),
        };
        if (!applied)
        {
            RejectedCommands++;
        }
    }

    private bool AddEvent(NoteEventKind kind, float note, float velocity)
    {
        _events.Add(new NoteEvent(0, kind, (int)MathF.Round(note), velocity));
        return true;
    }

    private bool ApplySetParam(in DspCommand c)
    {
        int m = IndexOf(c.ModuleId);
        int p = m < 0 ? -1 : _modules[m].Descriptor.IndexOf(c.Name);
        if (p < 0)
        {
            return false;
        }

        ParamDescriptor d = _modules[m].Descriptor.Params[p];
        if (c.Value < d.Min || c.Value > d.Max)
        {
            return false;
        }

        int ramp = c.Value2 > 0 ? Math.Max(1, (int)MathF.Round(c.Value2 * SampleRate)) : _dezipperFrames;
        _modules[m].SetParam(p, c.Value, ramp);
        return true;
    }

    private bool ApplyAddModule(in DspCommand c)
    {
        ModuleDescriptor? d = ModuleRegistry.Find(c.Name, AllowFaultModules);
        if (d is null || IndexOf(c.ModuleId) >= 0)
        {
            return false;
        }

        try
        {
            // Built ahead by Prebuild when the worker saw the command coming: adopt it (a fresh module either way).
            _modules.Add(_prebuilt.TryRemove((c.Name, c.ModuleId), out Module? ready) ? ready : ModuleRegistry.Create(d, c.ModuleId, _context));
            return true;
        }
        catch (OutOfMemoryException)
        {
            // SuperCollider's ClearUnitIfMemFailed: keep rendering the chain we have rather than die in the audio path.
            return false;
        }
        catch (DspException)
        {
            return false; // a plugin that would not instantiate here: counted, the chain goes on without it
        }
    }

    /// <summary>Quarantines a module (the supervisor found it deterministic in a crash or a hang), or lifts its
    /// quarantine: restored, it starts again from its just-configured state, since what it held when it failed is
    /// not to be trusted.</summary>
    private bool ApplyQuarantine(int index, bool quarantined)
    {
        if (index < 0)
        {
            return false;
        }

        Module m = _modules[index];
        if (!quarantined && m.Quarantined)
        {
            m.Reset();
        }

        m.Quarantined = quarantined;
        return true;
    }

    private bool ApplyRemoveModule(int index)
    {
        if (index < 0)
        {
            return false;
        }

        _modules[index].OnRemoved(_events);
        _modules.RemoveAt(index);
        return true;
    }

    private bool ApplyClearModules()
    {
        for (int i = _modules.Count - 1; i >= 0; i--)
        {
            ApplyRemoveModule(i);
        }

        return true;
    }
}
