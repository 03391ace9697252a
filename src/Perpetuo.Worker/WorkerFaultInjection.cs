using Perpetuo.Protocol;
using Perpetuo.Transport;

namespace Perpetuo.Worker;

/// <summary>
/// The faults a worker can be told to commit, for tests and demonstrations (`play --allow-fault-injection`,
/// `/perpetuo/fault`): die, stop, stall, publish NaN, scribble on its header, corrupt its next snapshot, go silently
/// wrong. Only a worker started with <c>--fault-modules 1</c> has one (the engine sends these commands to no other);
/// in any other worker the render loop never runs a line of this. Render thread only.
/// </summary>
internal sealed class WorkerFaultInjection(WorkerLink link)
{
    private int _stallMs;
    private long _stallBlocks;
    private bool _emitNan;
    private bool _diverged;
    private bool _corruptNextSnapshot;

    /// <summary>Whether <paramref name="kind"/> is one of these commands (<see cref="CommandKind.FaultCrash"/> and after).</summary>
    public static bool IsFault(int kind) => kind is >= (int)CommandKind.FaultCrash and <= (int)CommandKind.FaultDiverge;

    /// <summary>Commits the fault <paramref name="r"/> names, or arms it for the blocks it names.</summary>
    public void Apply(in CommandRecord r)
    {
        switch ((CommandKind)r.Kind)
        {
            case CommandKind.FaultCrash:
                LibC.Kill(Environment.ProcessId, LibC.SIGKILL);
                break;
            case CommandKind.FaultHang:
                LibC.Kill(Environment.ProcessId, LibC.SIGSTOP);
                break;
            case CommandKind.FaultStall:
                _stallMs = (int)Math.Clamp(r.Value, 0, 10_000);
                _stallBlocks = (long)Math.Clamp(r.Value2, 0, 1_000_000);
                break;
            case CommandKind.FaultNan:
                _emitNan = true;
                break;
            case CommandKind.FaultCorruptSnapshot:
                _corruptNextSnapshot = true;
                break;
            case CommandKind.FaultDiverge:
                _diverged = true;
                break;
            case CommandKind.FaultCorruptHeader:
                link.ScribbleWritePosition(long.MaxValue / 3);
                Thread.Sleep(Timeout.Infinite);
                break;
        }
    }

    /// <summary>The snapshot to publish: <paramref name="snapshot"/>, or once armed a copy with one bit flipped (its checksum then fails).</summary>
    public ReadOnlySpan<byte> Snapshot(ReadOnlySpan<byte> snapshot)
    {
        if (!_corruptNextSnapshot)
        {
            return snapshot;
        }
        _corruptNextSnapshot = false;
        byte[] corrupt = snapshot.ToArray();
        corrupt[corrupt.Length / 2] ^= 0x10;
        return corrupt;
    }

    /// <summary>Spoils the block just rendered as armed (wrong yet plausible from here on, or NaN once), and stalls.</summary>
    public void AfterRender(Span<float> block)
    {
        if (_diverged)
        {
            block[0] += 1e-3f; // finite and plausible: only the hashes can tell
        }
        if (_emitNan)
        {
            block.Fill(float.NaN);
            _emitNan = false;
        }
        if (_stallBlocks > 0)
        {
            _stallBlocks--;
            Thread.Sleep(_stallMs);
        }
    }
}
