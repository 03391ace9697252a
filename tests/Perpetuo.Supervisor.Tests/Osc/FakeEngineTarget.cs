using Perpetuo.Supervisor.Osc;
using Perpetuo.Supervisor.Control;
using Perpetuo.Transport;
using Perpetuo.Protocol;

namespace Perpetuo.Supervisor.Tests.Osc;

/// <summary>An engine without workers: records what the server submits, and can refuse like a full ring.</summary>
internal sealed class FakeEngineTarget : IEngineTarget
{
    public int SampleRate { get; set; } = 48000;

    public int BlockFrames { get; set; } = 256;

    public long NextBlock { get; set; } = 1000;

    /// <summary>Every accepted submission: a copy of its records, and the requested block and frame.</summary>
    public List<(CommandRecord[] Records, long AtBlock, int AtFrame)> Submissions { get; } = [];

    public List<(int Slot, CommandKind Kind, float Value, float Value2)> Faults { get; } = [];

    public int Rejected { get; private set; }

    /// <summary>When set, TrySubmit refuses with this text (as the engine does when a command ring is full).</summary>
    public string? RefuseWith { get; set; }

    public bool AllowFaults { get; set; }

    /// <summary>When false, accepted submissions are only counted (<see cref="Calls"/>): a target that allocates nothing.</summary>
    public bool KeepSubmissions { get; set; } = true;

    /// <summary>Calls of TrySubmit (one per packet that reached the engine).</summary>
    public int Calls { get; set; }

    public bool TrySubmit(IReadOnlyList<CommandGroup> groups, out string error)
    {
        Calls++;
        if (RefuseWith != null)
        {
            Rejected++;
            error = RefuseWith;
            return false;
        }
        error = "";
        if (!KeepSubmissions)
        {
            return true;
        }
        foreach (CommandGroup g in groups)
        {
            Submissions.Add((g.Records.ToArray(), g.AtBlock, g.AtFrame));
        }
        return true;
    }

    public bool TryInjectFault(int slot, CommandKind kind, float value, float value2, out string error)
    {
        error = AllowFaults ? "" : "fault injection is disabled: start play with --allow-fault-injection";
        if (AllowFaults)
        {
            Faults.Add((slot, kind, value, value2));
        }
        return AllowFaults;
    }

    public void CountRejected() => Rejected++;

    public EngineStatus Status() => new(NextBlock, 0, 0, 0, 0, 0, Rejected, 0, 0, SampleRate, BlockFrames, 3, []);

    /// <summary>What <see cref="Glance"/> reports (its slot and channel counts from <see cref="Slots"/> and <see cref="Peaks"/>).</summary>
    public EngineGlance Counters { get; set; }

    public SlotGlance[] Slots { get; set; } = [new(SlotRole.Active, 100, 0.1f, 0, 1, 0), new(SlotRole.Standby, 101, 0.1f, 0, 1, 0)];

    public float[] Peaks { get; set; } = [0.5f, 0.25f];

    public EngineGlance Glance() => Counters with { Slots = Slots.Length, Channels = Peaks.Length };

    public SlotGlance GlanceSlot(int slot) => Slots[slot];

    public float Peak(int channel) => Peaks[channel];
}
