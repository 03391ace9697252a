using Perpetuo.Audio;
using Perpetuo.Control.Commands;
using Perpetuo.Control.Midi;
using Perpetuo.Supervisor.Callback;
using Perpetuo.Transport;

namespace Perpetuo.Supervisor.Control;

/// <summary>
/// Turns the MIDI the callback captured into commands stamped at the frame they arrived, a fixed latency later:
/// sample accurate, mirrored to both workers and journaled like any command. Control thread only.
/// </summary>
/// <remarks>
/// Design: a message that arrived at output frame F is stamped at block <c>F / block + latency</c>, frame
/// <c>F % block</c>, where the latency (<see cref="LatencyBlocks"/>) is the one block being played, the ring depth, the
/// control thread's fence slack (<see cref="RenderFence"/>) and the time this thread may take to see the message: the
/// smallest stamp no worker can have rendered yet, the same for every message, so the timing a player gives the notes
/// is kept exactly, not the timing of this thread's ticks. A message this thread saw too late for that (a stall) is
/// applied at the earliest block instead, and counted by the scheduler as late. A message the callback had to drop
/// (the queue was full) is answered with all-notes-off, so no note is left hanging.
/// </remarks>
public sealed class MidiIntake
{
    private readonly MidiMap _map;
    private readonly int _blockFrames;
    private readonly CommandRecord[] _record = new CommandRecord[1];
    private readonly CommandGroup[] _group = new CommandGroup[1];
    private long _droppedSeen;

    public MidiIntake(MidiMap map, int blockFrames, int latencyBlocks)
    {
        ArgumentNullException.ThrowIfNull(map);
        _map = map;
        _blockFrames = blockFrames;
        LatencyBlocks = latencyBlocks;
    }

    /// <summary>Blocks between a message's arrival and its stamp.</summary>
    public int LatencyBlocks { get; }

    /// <summary>Messages turned into commands.</summary>
    public long Accepted { get; private set; }

    /// <summary>Messages that asked nothing of the engine (unmapped controllers, aftertouch, ...).</summary>
    public long Ignored { get; private set; }

    /// <summary>
    /// The latency for a block of <paramref name="blockSeconds"/>: the block being played, the ring depth, the fence
    /// slack, and two milliseconds (at least a block) for this thread to come round.
    /// </summary>
    public static int Latency(int depth, int fenceSlack, double blockSeconds) =>
        1 + depth + fenceSlack + Math.Max(1, (int)Math.Ceiling(0.002 / blockSeconds - 1e-9));

    /// <summary>The stamp of a message that arrived at output frame <paramref name="frame"/>.</summary>
    public (long Block, int Frame) StampOf(long frame) =>
        ((Math.Max(0, frame) / _blockFrames) + LatencyBlocks, (int)(Math.Max(0, frame) % _blockFrames));

    /// <summary>
    /// Runs one message of each kind through the translation and the record's making, submitted nowhere, so the first
    /// note a player sends does not pay for the JIT on the control thread (measured: a 19 ms tick, an underrun at 64
    /// frames, before this). Allocates; once, before playing.
    /// </summary>
    public void WarmUp()
    {
        var queue = new MidiQueue(16);
        var warm = new MidiIntake(_map, _blockFrames, LatencyBlocks);
        foreach (MidiMessage m in new MidiMessage[] { new(0, 0x90, 60, 100), new(1, 0x80, 60, 0), new(2, 0xB0, 123, 0), new(3, 0xB0, 1, 64), new(4, 0xE0, 0, 64) })
        {
            queue.TryPost(m);
        }
        warm.Drain(queue, _ => false);
    }

    /// <summary>Submits every message in <paramref name="queue"/> through <paramref name="submit"/> (the engine's TrySubmit).</summary>
    public void Drain(MidiQueue queue, Func<IReadOnlyList<CommandGroup>, bool> submit)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(submit);
        long dropped = queue.Dropped;
        if (dropped != _droppedSeen)
        {
            _droppedSeen = dropped;
            Submit(new ControlCommand(Perpetuo.Protocol.CommandKind.AllNotesOff, "", "", 0, 0), -1, 0, submit);
        }
        while (queue.TryTake(out MidiMessage m))
        {
            if (!MidiTranslator.TryTranslate(m.Status, m.Data1, m.Data2, _map, out ControlCommand command))
            {
                Ignored++;
                continue;
            }
            (long block, int frame) = StampOf(m.Frame);
            Submit(command, block, frame, submit);
        }
    }

    private void Submit(in ControlCommand c, long block, int frame, Func<IReadOnlyList<CommandGroup>, bool> submit)
    {
        _record[0] = CommandRecord.Create((int)c.Kind, 0, 0, c.Id, c.RecordName, c.Value, c.Value2);
        _group[0] = new CommandGroup(_record, block, frame);
        if (submit(_group))
        {
            Accepted++;
        }
    }
}
