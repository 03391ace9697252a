using Perpetuo.Supervisor.Control;
using Perpetuo.Transport;
using Perpetuo.Protocol;

namespace Perpetuo.Supervisor.Osc;

/// <summary>
/// What the OSC server needs from the engine: its clock, command submission, fault injection and status.
/// <see cref="Control.Engine"/> implements it; tests use a fake, so the server runs over real sockets without workers.
/// </summary>
/// <remarks>Every member is called on the control thread only.</remarks>
public interface IEngineTarget
{
    /// <summary>Output sample rate in Hz.</summary>
    int SampleRate { get; }

    /// <summary>Frames per block.</summary>
    int BlockFrames { get; }

    /// <summary>The next block the audio callback will hand to the output (the engine's block clock).</summary>
    long NextBlock { get; }

    /// <summary>
    /// Stamps, logs and sends every group (each group's records at one stamp). A group's block -1 means as soon as
    /// possible; a block already past is applied as soon as possible and counted late. False, with a reason and
    /// nothing accepted, when a limit would be passed: all groups are accepted, or none.
    /// </summary>
    bool TrySubmit(IReadOnlyList<CommandGroup> groups, out string error);

    /// <summary>Sends one fault-injection command to one slot's worker; false with a reason if refused.</summary>
    bool TryInjectFault(int slot, CommandKind kind, float value, float value2, out string error);

    /// <summary>Counts a request refused before submission (in the status's commands_rejected).</summary>
    void CountRejected();

    /// <summary>The engine status (the JSON object of docs/protocol.md, without its <c>"osc"</c> part).</summary>
    EngineStatus Status();

    /// <summary>The counters of `/perpetuo/levels`. Allocation-free.</summary>
    EngineGlance Glance();

    /// <summary>One slot for `/perpetuo/levels` (0 ≤ <paramref name="slot"/> &lt; <see cref="EngineGlance.Slots"/>). Allocation-free.</summary>
    SlotGlance GlanceSlot(int slot);

    /// <summary>The output's peak on <paramref name="channel"/>, over the last 2,048-4,096 frames or so (<see cref="Callback.PeakMeter"/>). Allocation-free.</summary>
    float Peak(int channel);
}
