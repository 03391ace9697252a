using Perpetuo.Protocol;
using Perpetuo.Transport;

namespace Perpetuo.Supervisor.Tests.Simulation;

/// <summary>
/// The simulation's DSP: a 64-bit state folded with every command in order and with every block number, rendered as
/// samples derived from it. Like the real chain it is deterministic, order-sensitive and has a snapshot; and it has
/// the faults the engine must survive: a module "fx" that, once armed by a command, crashes or hangs every replica at
/// the block the command takes effect (until a quarantine of "fx" bypasses it), and a "plugin" whose state cannot be
/// saved (snapshots refused, as a chain with an LV2 plugin).
/// </summary>
internal sealed class FakeDsp
{
    public const string Fx = "fx";
    public const int SnapshotSize = 8 + 4 + 1 + 1;

    /// <summary>What an armed "fx" does at its block.</summary>
    public enum FaultMode
    {
        None = 0,
        Crash = 1,
        Hang = 2,
    }

    public ulong State { get; private set; }

    public FaultMode Armed { get; private set; }

    public bool FxQuarantined { get; private set; }

    /// <summary>A plugin is in the chain: its state cannot be saved.</summary>
    public bool HasPlugin { get; private set; }

    /// <summary>The fault "fx" causes in the block about to be rendered, if any.</summary>
    public FaultMode Fault => FxQuarantined ? FaultMode.None : Armed;

    public void Apply(in CommandRecord r)
    {
        string id = r.IdString ?? "";
        string name = r.NameString ?? "";
        switch ((CommandKind)r.Kind)
        {
            case CommandKind.Quarantine when id == Fx:
                FxQuarantined = true; // a flag: commutes with the block's other commands, wherever the log put it
                return;
            case CommandKind.Restore when id == Fx:
                FxQuarantined = false;
                Armed = FaultMode.None;
                return;
            case CommandKind.SetParam when id == Fx && name == "arm":
                Armed = (FaultMode)(int)r.Value;
                return;
            case CommandKind.SetParam when id == Fx && name == "plugin":
                HasPlugin = r.Value != 0;
                return;
        }
        State = Mix(State, (ulong)r.Kind, (ulong)r.ApplyBlock, (ulong)r.FrameOffset, BitConverter.SingleToUInt32Bits(r.Value),
                    BitConverter.SingleToUInt32Bits(r.Value2), (ulong)id.GetHashCode(StringComparison.Ordinal),
                    (ulong)name.GetHashCode(StringComparison.Ordinal));
    }

    /// <summary>Renders block <paramref name="seq"/> (an armed fault, if any, was dealt with by the caller).</summary>
    public void Render(long seq, Span<float> block)
    {
        State = Mix(State, (ulong)seq, FxQuarantined ? 1UL : 0UL, (ulong)Armed, 0, 0, 0, 0);
        ulong x = State;
        for (int i = 0; i < block.Length; i++)
        {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            block[i] = ((int)(x >> 40) - (1 << 23)) / (float)(1 << 25); // within ±0.25: the limiter's knee is never reached
        }
    }

    public byte[] Save()
    {
        byte[] b = new byte[SnapshotSize];
        BitConverter.TryWriteBytes(b.AsSpan(0), State);
        BitConverter.TryWriteBytes(b.AsSpan(8), (int)Armed);
        b[12] = FxQuarantined ? (byte)1 : (byte)0;
        b[13] = HasPlugin ? (byte)1 : (byte)0;
        return b;
    }

    public static FakeDsp Load(ReadOnlySpan<byte> b) => new()
    {
        State = BitConverter.ToUInt64(b),
        Armed = (FaultMode)BitConverter.ToInt32(b[8..]),
        FxQuarantined = b[12] == 1,
        HasPlugin = b[13] == 1,
    };

    private static ulong Mix(ulong h, ulong a, ulong b, ulong c, ulong d, ulong e, ulong f, ulong g)
    {
        foreach (ulong v in (ReadOnlySpan<ulong>)[a, b, c, d, e, f, g])
        {
            h = (h ^ v) * 0x100000001B3UL;
            h ^= h >> 29;
        }
        return h;
    }
}
