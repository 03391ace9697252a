using Perpetuo.Lv2;

namespace Perpetuo.Dsp;

/// <summary>
/// <c>lv2:URI</c>: an LV2 plugin in the chain, processing each segment in place.
/// </summary>
/// <remarks>
/// How the plugin's audio ports meet the engine's channels (C, interleaved):
/// - a mono effect (1 in, 1 out) on C channels runs as C instances, one per channel, with the same parameters;
/// - 1 in and several outs (a mono-in, stereo-out reverb such as plate): fed the mix (mean) of the channels, output
///   o to channel o (channel c takes output c mod outs);
/// - otherwise input i is fed channel i mod C, and channel c takes output c mod outs;
/// - no audio input (a generator): its output is added to the chain's signal, as the built-in generators do;
/// - no audio output: the signal passes through unchanged.
/// Notes: a plugin with a MIDI input hears every note event of the segment, as the built-in note modules do (from
/// JACK MIDI, OSC and every <c>seq</c> before it), each as a MIDI message at its frame in the run, on channel 1
/// (<see cref="MidiNotes"/>: what all-notes-off becomes). Parameters apply from their command's frame. Its state is the plugin's own and cannot be saved
/// (<see cref="CanSnapshot"/> is false): a worker joins a session with a plugin by replaying from a point before
/// the plugin was added (docs/architecture.md, LV2 plugins). Restoring it re-activates it (LV2: activate resets
/// every state that depends on the instance's history).
/// </remarks>
internal sealed class Lv2Module : Module
{
    private readonly Lv2Plugin[] _instances;
    private readonly bool _perChannel;
    private readonly bool _mixInput;
    private readonly bool _generator;
    private readonly int _outputs;
    private readonly MidiNotes _notes = new();
    private readonly IReadOnlyList<Lv2Preset> _presets;
    private readonly int _presetParam;

    public Lv2Module(ModuleDescriptor descriptor, string id, in ModuleContext context)
        : base(descriptor, id, context)
    {
        Lv2Plugin first = Lv2Modules.Instantiate(descriptor.Type, context);
        HasMidiInput = first.HasMidiInput;
        _perChannel = first.AudioInputCount == 1 && first.AudioOutputCount == 1 && context.Channels > 1;
        _instances = new Lv2Plugin[_perChannel ? context.Channels : 1];
        _instances[0] = first;
        try
        {
            for (int i = 1; i < _instances.Length; i++)
            {
                _instances[i] = Lv2Modules.Instantiate(descriptor.Type, context);
            }
        }
        catch
        {
            DisposeInstances();
            throw;
        }
        _presetParam = descriptor.IndexOf(Lv2Modules.PresetParam);
        _presets = _presetParam < 0 ? [] : Lv2Modules.Presets(descriptor.Type);
        foreach (Lv2Preset p in _presets.Where(p => p.HasState))
        {
            Lv2Modules.Catalog?.PreparePreset(p); // read now (off the render thread), restored when chosen
        }
        _mixInput = !_perChannel && first.AudioInputCount == 1 && context.Channels > 1;
        _generator = first.AudioInputCount == 0;
        _outputs = first.AudioOutputCount;
    }

    /// <inheritdoc/>
    internal override bool CanSnapshot => false;

    /// <summary>True when the plugin takes notes (an instrument, a MIDI effect).</summary>
    internal bool HasMidiInput { get; }

    internal override void Process(Span<float> block, int frames, NoteEventList events)
    {
        if (frames == 0)
        {
            // A zero-frame segment (a note source removed between blocks): its note-offs wait in the MIDI input for
            // the next run, at its first frame.
            WriteNotesOnly(events);
            return;
        }
        if (HasMidiInput)
        {
            _notes.Write(_instances, events);
        }
        for (int k = 0; k < _instances.Length; k++)
        {
            Lv2Plugin p = _instances[k];
            for (int i = 0; i < p.ControlInputCount; i++)
            {
                p.SetControlInput(i, Param(i).Target);
            }
            FeedInputs(p, k, block, frames);
            p.Run(frames);
            WriteOutputs(p, k, block, frames);
        }
    }

    /// <summary>The preset parameter applies its preset; the others are read at the next run.</summary>
    protected override void OnParamChanged(int index)
    {
        if (index == _presetParam)
        {
            ApplyPreset((int)Param(index).Target);
        }
    }

    /// <summary>
    /// Applies preset <paramref name="number"/> (1..N; 0 does nothing): each control input it names jumps to its value
    /// (clamped into its range), and the plugin state it holds beyond them is restored into every instance. Between runs:
    /// at its command's frame on the render thread, or while the module is built. A plugin that loads a file in its
    /// restore (zeroconvolv's impulse response) takes that long, in every replica alike.
    /// </summary>
    private void ApplyPreset(int number)
    {
        if (number < 1 || number > _presets.Count)
        {
            return;
        }
        Lv2Preset preset = _presets[number - 1];
        foreach ((string symbol, float value) in preset.Values)
        {
            int i = Descriptor.IndexOf(symbol);
            if (i >= 0 && i != _presetParam)
            {
                ParamDescriptor d = Descriptor.Params[i];
                SetParam(i, Math.Clamp(value, d.Min, d.Max), 0);
            }
        }
        if (preset.HasState && Lv2Modules.Catalog is { } catalog)
        {
            foreach (Lv2Plugin p in _instances)
            {
                catalog.RestorePreset(p, preset);
            }
        }
    }

    /// <summary>Restores the plugin's own state into every instance (a patch's <c>"state"</c>, before its parameters).</summary>
    internal override void RestoreState(string state)
    {
        try
        {
            foreach (Lv2Plugin p in _instances)
            {
                Lv2State.Restore(p, state);
            }
        }
        catch (Lv2Exception e)
        {
            throw new DspException($"module \"{Id}\" ({Type}): {e.Message}", e);
        }
    }

    /// <summary>The first instance's own state (the instances of a mono plugin on several channels share their settings), or null.</summary>
    internal override string? SaveState()
    {
        if (!_instances[0].HasState)
        {
            return null;
        }
        try
        {
            return Lv2State.Save(_instances[0]);
        }
        catch (Lv2Exception e)
        {
            throw new DspException($"module \"{Id}\" ({Type}): {e.Message}", e);
        }
    }

    /// <summary>Does the worker requests a build-time preset or state made, before the first block (the building thread).</summary>
    internal override void Settle()
    {
        foreach (Lv2Plugin p in _instances)
        {
            p.SettleWork();
        }
    }

    private void WriteNotesOnly(NoteEventList events)
    {
        if (HasMidiInput)
        {
            _notes.Write(_instances, events, atFrameZero: true);
        }
    }

    private void FeedInputs(Lv2Plugin p, int instance, ReadOnlySpan<float> block, int frames)
    {
        int ch = Channels;
        if (_perChannel)
        {
            Span<float> input = p.AudioInput(0);
            for (int f = 0; f < frames; f++)
            {
                input[f] = block[(f * ch) + instance];
            }
            return;
        }
        if (_mixInput)
        {
            Span<float> input = p.AudioInput(0);
            float scale = 1f / ch;
            for (int f = 0; f < frames; f++)
            {
                float sum = 0;
                for (int c = 0; c < ch; c++)
                {
                    sum += block[(f * ch) + c];
                }
                input[f] = sum * scale;
            }
            return;
        }
        for (int i = 0; i < p.AudioInputCount; i++)
        {
            Span<float> input = p.AudioInput(i);
            int c = i % ch;
            for (int f = 0; f < frames; f++)
            {
                input[f] = block[(f * ch) + c];
            }
        }
    }

    private void WriteOutputs(Lv2Plugin p, int instance, Span<float> block, int frames)
    {
        int ch = Channels;
        if (_perChannel)
        {
            ReadOnlySpan<float> output = p.AudioOutput(0);
            for (int f = 0; f < frames; f++)
            {
                block[(f * ch) + instance] = output[f];
            }
            return;
        }
        if (_outputs == 0)
        {
            return; // an analyser: the signal passes through
        }
        for (int c = 0; c < ch; c++)
        {
            ReadOnlySpan<float> output = p.AudioOutput(c % _outputs);
            for (int f = 0; f < frames; f++)
            {
                int s = (f * ch) + c;
                block[s] = _generator ? block[s] + output[f] : output[f];
            }
        }
    }

    internal override bool HasBlockStart => true;

    /// <summary>The start of a block: the plugins' worker responses due now are delivered (<see cref="Lv2Plugin.BeginBlock"/>).</summary>
    internal override void BeginBlock()
    {
        foreach (Lv2Plugin p in _instances)
        {
            p.BeginBlock();
        }
    }

    protected override void ResetState()
    {
        _notes.Forget();
        foreach (Lv2Plugin p in _instances)
        {
            p.Deactivate();
            p.Activate();
            p.SettleWork(); // what activate asked of the worker is done before the first run
        }
    }

    internal override void OnRemoved(NoteEventList events) => DisposeInstances();

    internal override void WriteState(SnapshotWriter w) =>
        throw new DspException($"module \"{Id}\" ({Type}): an LV2 plugin's state cannot be saved");

    internal override void ReadState(ref SnapshotReader r) =>
        throw new DspException($"module \"{Id}\" ({Type}): an LV2 plugin's state cannot be loaded");

    private void DisposeInstances()
    {
        foreach (Lv2Plugin? p in _instances)
        {
            p?.Dispose();
        }
    }
}
