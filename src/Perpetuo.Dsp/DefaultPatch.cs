namespace Perpetuo.Dsp;

/// <summary>
/// The patch played when no patch file is given: an A-minor arpeggio at 120 bpm (16th notes, with a rest) on a
/// saw synth through a resonant lowpass, a gain and a centred pan. Output RMS is about 0.1 and peaks about 0.5 (tests hold RMS in 0.05..0.3).
/// </summary>
public static class DefaultPatch
{
    /// <summary>The modules in chain order: seq → synth → filter → gain → pan.</summary>
    public static IReadOnlyList<PatchModule> Modules { get; } =
    [
        new("seq", "seq",
        [
            P("bpm", 120), P("steps", 16), P("gate", 0.6f), P("root", 45), P("velocity", 0.9f),
            P("step1", 0), P("step2", 12), P("step3", 7), P("step4", 15),
            P("step5", 12), P("step6", 19), P("step7", 15), P("step8", 12),
            P("step9", -2), P("step10", 10), P("step11", 5), P("step12", 14),
            P("step13", 10), P("step14", SeqModule.Rest), P("step15", 17), P("step16", 22),
        ]),
        new("synth", "synth",
        [
            P("wave", 1), P("voices", 8), P("attack", 0.004f), P("decay", 0.25f), P("sustain", 0.35f),
            P("release", 0.25f), P("level", 0.35f),
        ]),
        new("filter", "filter", [P("mode", 0), P("cutoff", 1400), P("resonance", 0.55f)]),
        new("gain", "gain", [P("gain", 1.6f)]),
        new("pan", "pan", [P("pan", 0)]),
    ];

    /// <summary>Adds every module of the default patch to <paramref name="host"/>, in order.</summary>
    /// <exception cref="DspException">The host already has a module with one of the ids.</exception>
    public static void ApplyTo(ModuleHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        foreach (PatchModule m in Modules)
        {
            host.AddModule(m.Type, m.Id, m.Params);
        }
    }

    /// <summary>A new host playing the default patch.</summary>
    public static ModuleHost CreateHost(int sampleRate, int channels, int maxBlockFrames)
    {
        var host = new ModuleHost(sampleRate, channels, maxBlockFrames);
        ApplyTo(host);
        return host;
    }

    private static KeyValuePair<string, float> P(string name, float value) => new(name, value);
}
