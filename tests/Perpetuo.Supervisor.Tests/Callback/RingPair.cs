using Perpetuo.Supervisor.Callback;
using Perpetuo.Transport;

namespace Perpetuo.Supervisor.Tests.Callback;

/// <summary>Two real slot regions (memory files, as play makes them), with a producer per slot and a BlockReader over them.</summary>
internal sealed class RingPair : IDisposable
{
    public const int Frames = 64;
    public const int Channels = 2;

    public RingPair(int slots = 2, int capacity = 8, int eventCapacity = 1024)
    {
        var layout = new RegionLayout(Frames, Channels, 48000, capacity);
        Regions = Enumerable.Range(0, slots).Select(i => SharedRegion.Create(layout, i)).ToArray();
        Writers = Regions.Select(r => new AudioRingWriter(r)).ToArray();
        Links = Regions.Select(r => new SupervisorLink(r)).ToArray();
        Channels_ = Regions.Select((r, i) => new SlotChannel(i, new AudioRingReader(r)) { Mode = SlotMode.Readable }).ToArray();
        Events = new EventQueue(eventCapacity);
        Reader = new BlockReader(Channels_, Channels, Frames, Events);
    }

    public SharedRegion[] Regions { get; }
    public AudioRingWriter[] Writers { get; }
    public SupervisorLink[] Links { get; }
    public SlotChannel[] Channels_ { get; }
    public EventQueue Events { get; }
    public BlockReader Reader { get; }

    /// <summary>A block whose samples are a function of its sequence number (and a per-slot offset for divergence tests).</summary>
    public static float[] Block(long seq, float offset = 0)
    {
        var b = new float[Frames * Channels];
        for (int i = 0; i < b.Length; i++)
        {
            b[i] = (0.5f * MathF.Sin((seq * b.Length + i) * 0.01f)) + offset;
        }
        return b;
    }

    public void Write(int slot, long seq, float offset = 0) => Assert.True(Writers[slot].TryWrite(seq, Block(seq, offset)));

    public float[] Play()
    {
        var output = new float[Frames * Channels];
        Reader.TryFillBlock(output);
        return output;
    }

    public List<EngineEvent> DrainEvents()
    {
        var list = new List<EngineEvent>();
        while (Events.TryTake(out EngineEvent e))
        {
            list.Add(e);
        }
        return list;
    }

    public void Dispose()
    {
        foreach (SharedRegion r in Regions)
        {
            r.Dispose();
        }
    }
}
