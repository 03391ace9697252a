using Perpetuo.Supervisor.Callback;
using Perpetuo.Transport;

namespace Perpetuo.Benchmarks;

/// <summary>
/// The supervisor's audio callback (<see cref="BlockReader.TryFillBlock"/>) over one or two real slot regions, with
/// one in-process producer per slot standing in for the workers: <see cref="Produce"/> writes block N into every
/// ring, <see cref="Callback"/> plays it (copy + verify from the active slot, hash peek and compare on the other,
/// release on both, levels, timings).
/// </summary>
public sealed class CallbackRig : IDisposable
{
    private readonly RingFixture _fixture;
    private readonly AudioRingWriter[] _writers;
    private readonly float[] _block;
    private readonly float[] _out;
    private readonly EventQueue _events = new();
    private long _seq;

    public CallbackRig(int slots, int frames)
    {
        _fixture = new RingFixture(slots, frames);
        _writers = new AudioRingWriter[slots];
        var channels = new SlotChannel[slots];
        for (int s = 0; s < slots; s++)
        {
            _writers[s] = new AudioRingWriter(_fixture.Regions[s]);
            channels[s] = new SlotChannel(s, new AudioRingReader(_fixture.Regions[s])) { Mode = SlotMode.Readable };
        }
        Reader = new BlockReader(channels, RingFixture.Channels, frames, _events);
        _block = RingFixture.Block(frames);
        _out = new float[_block.Length];
    }

    public BlockReader Reader { get; }

    /// <summary>The workers' half: block N into every slot's ring.</summary>
    public void Produce()
    {
        foreach (AudioRingWriter w in _writers)
        {
            w.TryWrite(_seq, _block);
        }
        _seq++;
    }

    /// <summary>The audio callback: plays block N.</summary>
    public void Callback()
    {
        Reader.TryFillBlock(_out);
        // Drain what the control thread would drain, so the callback's preallocated rings never fill up.
        Reader.Timings.TryTake(out _);
    }

    public void Dispose() => _fixture.Dispose();
}
