using Perpetuo.Control.Osc;

namespace Perpetuo.Cli.Demo;

/// <summary>What the demo does at one point of the run.</summary>
internal enum DemoAction
{
    /// <summary>Send a control request (a parameter change or a note).</summary>
    Send,
    /// <summary>SIGKILL the active worker.</summary>
    Kill,
    /// <summary>SIGSTOP the active worker: it hangs without dying.</summary>
    Hang,
}

/// <summary>One step of the script: at <paramref name="Fraction"/> of the run, do <paramref name="Action"/>.</summary>
internal sealed record DemoStep(double Fraction, DemoAction Action, OscMessage? Message = null)
{
    public static DemoStep Param(double at, string module, string name, float value, float rampSeconds) =>
        new(at, DemoAction.Send, new OscMessage("/perpetuo/param", OscArgument.FromString(module), OscArgument.FromString(name),
                                                OscArgument.FromFloat(value), OscArgument.FromFloat(rampSeconds)));

    public static DemoStep NoteOn(double at, int note, float velocity) =>
        new(at, DemoAction.Send, new OscMessage("/perpetuo/note/on", OscArgument.FromInt32(note), OscArgument.FromFloat(velocity)));

    public static DemoStep NoteOff(double at, int note) =>
        new(at, DemoAction.Send, new OscMessage("/perpetuo/note/off", OscArgument.FromInt32(note)));

    /// <summary>
    /// The default script for the default patch: three kills and one hang of the active worker, spread over the
    /// run, with parameter ramps and held notes around them so the failovers happen while the sound is changing.
    /// </summary>
    public static IReadOnlyList<DemoStep> DefaultScript { get; } =
    [
        Param(0.06, "filter", "cutoff", 3200, 1.5f),
        new(0.16, DemoAction.Kill),
        NoteOn(0.24, 69, 0.7f),
        Param(0.28, "seq", "bpm", 150, 0),
        new(0.36, DemoAction.Kill),
        NoteOff(0.44, 69),
        Param(0.46, "pan", "pan", -0.6f, 1.0f),
        new(0.54, DemoAction.Kill),
        Param(0.62, "filter", "resonance", 0.8f, 0.5f),
        NoteOn(0.66, 64, 0.6f),
        new(0.72, DemoAction.Hang),
        NoteOff(0.82, 64),
        Param(0.84, "filter", "cutoff", 900, 1.0f),
        Param(0.86, "pan", "pan", 0, 0.5f),
    ];
}
