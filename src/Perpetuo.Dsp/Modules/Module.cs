namespace Perpetuo.Dsp;

/// <summary>
/// Base of every module. Design (the same shape for all, after NAudio's IAudioEffect and SuperCollider units):
/// allocation happens only in the constructor; <see cref="Process"/> works in place on an interleaved segment;
/// parameters live in <see cref="ParamState"/> slots that ramp per frame; derived coefficients are recomputed in
/// <see cref="UpdateDerived"/> when a parameter is set, never per sample unless the parameter is ramping;
/// all DSP state can be written to and read from a snapshot bit-exactly.
/// </summary>
internal abstract class Module : IModule
{
    private readonly ParamState[] _params;

    protected Module(ModuleDescriptor descriptor, string id, in ModuleContext context)
    {
        Descriptor = descriptor;
        Id = id;
        // At most the bytes a command record carries (all an id can have): what the worker writes into its region
        // before this module runs, copied there without encoding on the audio thread.
        byte[] utf8 = System.Text.Encoding.UTF8.GetBytes(id);
        IdUtf8 = utf8.Length <= Perpetuo.Protocol.Limits.MaxIdBytes ? utf8 : utf8[..Perpetuo.Protocol.Limits.MaxIdBytes];
        Context = context;
        _params = new ParamState[descriptor.Params.Count];
        for (int i = 0; i < _params.Length; i++)
        {
            _params[i].Target = descriptor.Params[i].Default;
            _params[i].Settle();
        }
    }

    public string Type => Descriptor.Type;

    public string Id { get; }

    public ModuleDescriptor Descriptor { get; }

    protected ModuleContext Context { get; }

    /// <summary>The id in UTF-8, for the worker's record of where it is.</summary>
    internal byte[] IdUtf8 { get; }

    /// <summary>Bypassed: the host skips it (its input passes through; a generator is silent). Part of snapshots.</summary>
    internal bool Quarantined { get; set; }

    protected int Channels => Context.Channels;

    public float GetParam(string name) => _params[IndexOrThrow(name)].Target;

    public float GetCurrentParam(string name) => _params[IndexOrThrow(name)].Current;

    /// <summary>The live slot of parameter <paramref name="index"/>; loops copy it to a local and store it back.</summary>
    internal ref ParamState Param(int index) => ref _params[index];

    /// <summary>Sets an already validated value; integer parameters are rounded, smoothed ones ramp.</summary>
    /// <remarks>Audio thread. Allocation-free.</remarks>
    internal void SetParam(int index, float value, int rampFrames)
    {
        ParamDescriptor d = Descriptor.Params[index];
        if (d.Integer)
        {
            value = MathF.Round(value);
        }

        _params[index].RampTo(value, d.Smoothed ? rampFrames : 0);
        OnParamChanged(index);
    }

    /// <summary>False for a module whose state cannot be written to a snapshot (a plugin's): the host then has none.</summary>
    internal virtual bool CanSnapshot => true;

    /// <summary>Restores its own saved state (an LV2 plugin's, as <see cref="Perpetuo.Lv2.Lv2State"/>'s JSON).</summary>
    /// <exception cref="DspException">This module keeps no such state, or it refused this one.</exception>
    internal virtual void RestoreState(string state) =>
        throw new DspException($"module \"{Id}\" ({Type}) keeps no plugin state: \"state\" is for LV2 plugins with state of their own");

    /// <summary>Its own state as <see cref="RestoreState"/> takes it, or null when it keeps none.</summary>
    internal virtual string? SaveState() => null;

    /// <summary>Finishes what its configuration started off the render thread (an LV2 plugin's worker requests), before the first block.</summary>
    internal virtual void Settle()
    {
    }

    /// <summary>True for a module that does something at <see cref="BeginBlock"/> (the host skips the others there).</summary>
    internal virtual bool HasBlockStart => false;

    /// <summary>The start of a block, before its first segment (a plugin delivers its worker's responses due now).</summary>
    /// <remarks>Audio thread. Must not allocate and must not throw.</remarks>
    internal virtual void BeginBlock()
    {
    }

    /// <summary>Renders one segment of <paramref name="frames"/> frames in place.</summary>
    /// <remarks>Audio thread. Must not allocate on the steady-state processing path and must not throw.</remarks>
    internal abstract void Process(Span<float> block, int frames, NoteEventList events);

    /// <summary>Back to the just-configured state: parameters jump to their targets (values kept), DSP state cleared.</summary>
    internal void Reset()
    {
        for (int i = 0; i < _params.Length; i++)
        {
            _params[i].Settle();
        }

        UpdateDerived();
        ResetState();
    }

    /// <summary>Called when the module leaves the chain, so a note source can release what it holds.</summary>
    internal virtual void OnRemoved(NoteEventList events)
    {
    }

    internal abstract void WriteState(SnapshotWriter w);

    internal abstract void ReadState(ref SnapshotReader r);

    /// <summary>Finishes construction or loading: coefficients from parameters, then (construction only) fresh state.</summary>
    internal void Initialize(bool resetState)
    {
        UpdateDerived();
        if (resetState)
        {
            ResetState();
        }
    }

    protected abstract void ResetState();

    /// <summary>Recomputes coefficients from parameter targets. Pure: must not touch DSP state.</summary>
    protected virtual void UpdateDerived()
    {
    }

    /// <summary>Reacts to a parameter change; by default recomputes coefficients.</summary>
    protected virtual void OnParamChanged(int index) => UpdateDerived();

    private int IndexOrThrow(string name)
    {
        int i = Descriptor.IndexOf(name);
        return i >= 0 ? i : throw new DspException(
            $"unknown parameter \"{name}\" of module type \"{Type}\"; known: {Descriptor.ParamNames}");
    }
}
