using Perpetuo.Transport;

namespace Perpetuo.Benchmarks;

/// <summary>
/// Real mapped slot regions, as <c>play</c> creates them (memory files; stereo, 48 kHz, capacity 8 = the next
/// power of two ≥ ring depth 3 + 2). Disposing releases them.
/// </summary>
public sealed class RingFixture : IDisposable
{
    public const int Channels = 2;
    public const int Rate = 48000;
    public const int Capacity = 8;

    private readonly SharedRegion[] _regions;

    public RingFixture(int slots, int frames)
    {
        _regions = new SharedRegion[slots];
        for (int s = 0; s < slots; s++)
        {
            _regions[s] = SharedRegion.Create(new RegionLayout(frames, Channels, Rate, Capacity), s);
        }
    }

    public IReadOnlyList<SharedRegion> Regions => _regions;

    /// <summary>A block of plausible audio (a quiet ramp), so the hash and finite check see real samples.</summary>
    public static float[] Block(int frames)
    {
        var block = new float[frames * Channels];
        for (int i = 0; i < block.Length; i++)
        {
            block[i] = MathF.Sin(i * 0.01f) * 0.25f;
        }
        return block;
    }

    public void Dispose()
    {
        foreach (SharedRegion r in _regions)
        {
            r.Dispose();
        }
    }
}
