namespace Perpetuo.Dsp;

/// <summary>What a <see cref="DspCommand"/> does. The numeric values travel through shared memory: never renumber.</summary>
public enum DspCommandKind
{
    /// <summary>ModuleId, Name = parameter, Value = new value, Value2 = ramp seconds (0 = immediate, still de-zippered over a few ms).</summary>
    SetParam = 1,

    /// <summary>Value = MIDI note 0..127, Value2 = velocity 0..1.</summary>
    NoteOn,

    /// <summary>Value = MIDI note 0..127.</summary>
    NoteOff,

    /// <summary>Releases every held note in every module.</summary>
    AllNotesOff,

    /// <summary>Name = module type, ModuleId = new id; parameters at their defaults. Allocates (once, when applied).</summary>
    AddModule,

    /// <summary>ModuleId = the module to remove.</summary>
    RemoveModule,

    /// <summary>Removes every module.</summary>
    ClearModules,
}
