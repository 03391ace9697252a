using Perpetuo.Control.Osc;

namespace Perpetuo.Web;

/// <summary>One `/perpetuo/levels` reply (docs/protocol.md), read: the engine's counters, its slots, its peaks.</summary>
public sealed record EngineLevels(
    long Seq, int ActiveSlot, long Underruns, long Failovers, long Divergences, long Events, long GraphVersion,
    long CommandsAccepted, long GcCollections, int Quarantined, IReadOnlyList<SlotLevels> Slots, IReadOnlyList<float> Peaks)
{
    private const int Counters = 11;
    private const int PerSlot = 6;

    /// <summary>The reply read, or null when it is not one (a wrong shape: another engine version, garbage).</summary>
    public static EngineLevels? TryRead(OscMessage m)
    {
        ArgumentNullException.ThrowIfNull(m);
        IReadOnlyList<OscArgument> a = m.Arguments;
        if (!Is(a, "hihhhhhhhii"))
        {
            return null;
        }
        int slots = a[10].AsInt32();
        if (slots is < 0 or > 64 || a.Count < Counters + (slots * PerSlot) + 1)
        {
            return null;
        }
        var list = new SlotLevels[slots];
        for (int s = 0; s < slots; s++)
        {
            int i = Counters + (s * PerSlot);
            if (!Is(a.Skip(i).Take(PerSlot).ToList(), "sififf"))
            {
                return null;
            }
            list[s] = new SlotLevels(s, a[i].AsString(), a[i + 1].AsInt32(), a[i + 2].AsFloat(), a[i + 3].AsInt32(), a[i + 4].AsFloat(), a[i + 5].AsFloat());
        }
        int c0 = Counters + (slots * PerSlot);
        if (a[c0].Type != OscTypeTag.Int32)
        {
            return null;
        }
        int channels = a[c0].AsInt32();
        if (channels is < 0 or > 256 || a.Count != c0 + 1 + channels || a.Skip(c0 + 1).Any(x => x.Type != OscTypeTag.Float))
        {
            return null;
        }
        return new EngineLevels(a[0].AsInt64(), a[1].AsInt32(), a[2].AsInt64(), a[3].AsInt64(), a[4].AsInt64(), a[5].AsInt64(),
                                a[6].AsInt64(), a[7].AsInt64(), a[8].AsInt64(), a[9].AsInt32(), list,
                                [.. a.Skip(c0 + 1).Select(x => x.AsFloat())]);
    }

    private static bool Is(IReadOnlyList<OscArgument> a, string tags)
    {
        if (a.Count < tags.Length)
        {
            return false;
        }
        for (int i = 0; i < tags.Length; i++)
        {
            if (a[i].Type != tags[i])
            {
                return false;
            }
        }
        return true;
    }
}

/// <summary>One slot of a levels reply: its role (the status JSON's names), worker, level, restarts and timings.</summary>
public sealed record SlotLevels(int Slot, string Role, int Pid, float Rms, int Restarts, float HeartbeatAgeMs, float BackoffMsLeft);
