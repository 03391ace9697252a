using Perpetuo.Audio;
using Perpetuo.Control.Midi;
using Perpetuo.Protocol;
using Perpetuo.Supervisor.Callback;
using Perpetuo.Supervisor.Control;

namespace Perpetuo.Supervisor.Tests.Control;

/// <summary>MIDI from the callback to stamped commands: at the frame it arrived, a fixed latency later.</summary>
public sealed class MidiIntakeTests
{
    private readonly List<CommandGroup> _submitted = [];

    private bool Submit(IReadOnlyList<CommandGroup> groups)
    {
        // The intake reuses its arrays: keep copies, as the scheduler does.
        _submitted.AddRange(groups.Select(g => g with { Records = [.. g.Records] }));
        return true;
    }

    [Fact]
    public void AMessageIsStampedAtItsArrivalFramePlusAFixedLatencyInBlocks()
    {
        var intake = new MidiIntake(MidiMap.Empty, 64, latencyBlocks: 9);
        var queue = new MidiQueue();
        queue.TryPost(new MidiMessage((100 * 64) + 17, 0x90, 60, 127));
        queue.TryPost(new MidiMessage((100 * 64) + 18, 0x80, 60, 0));
        queue.TryPost(new MidiMessage((250 * 64) + 63, 0xA0, 60, 1)); // aftertouch: nothing
        intake.Drain(queue, Submit);

        Assert.Equal(2, _submitted.Count);
        Assert.Equal((109L, 17), (_submitted[0].AtBlock, _submitted[0].AtFrame));
        Assert.Equal((int)CommandKind.NoteOn, _submitted[0].Records[0].Kind);
        Assert.Equal((109L, 18), (_submitted[1].AtBlock, _submitted[1].AtFrame));
        Assert.Equal((int)CommandKind.NoteOff, _submitted[1].Records[0].Kind);
        Assert.Equal((2, 1), (intake.Accepted, intake.Ignored));
    }

    [Fact]
    public void TheLatencyCoversTheBlockPlayingTheDepthTheSlackAndTheTick()
    {
        Assert.Equal(1 + 2 + 4 + 2, MidiIntake.Latency(depth: 2, fenceSlack: 4, blockSeconds: 64 / 48000.0));
        Assert.Equal(1 + 3 + 1 + 1, MidiIntake.Latency(depth: 3, fenceSlack: 1, blockSeconds: 256 / 48000.0));
    }

    [Fact]
    public void MessagesTheCallbackHadToDropAreAnsweredWithAllNotesOff()
    {
        var intake = new MidiIntake(MidiMap.Empty, 64, latencyBlocks: 5);
        var queue = new MidiQueue(2);
        for (int i = 0; i < 5; i++)
        {
            queue.TryPost(new MidiMessage(i, 0x90, (byte)(60 + i), 100)); // 3 dropped, the note-offs among them could be
        }
        intake.Drain(queue, Submit);

        Assert.Equal((int)CommandKind.AllNotesOff, _submitted[0].Records[0].Kind);
        Assert.Equal(-1, _submitted[0].AtBlock); // as soon as possible
        Assert.Equal(3, _submitted.Count);
        intake.Drain(queue, Submit);
        Assert.Equal(3, _submitted.Count); // once per drop, not per drain
    }
}
