using Perpetuo.Transport;

namespace Perpetuo.Benchmarks;

/// <summary>
/// A temp <see cref="RunDirectory"/> with real mapped slot regions, as <c>play</c> creates them (stereo, 48 kHz,
/// capacity 8 = the next power of two ≥ ring depth 3 + 2). Disposing removes the regions and the directory.
/// </summary>
public sealed class RingFixture : IDisposable
{
    public const int Channels = 2;
    public const int Rate = 48000;
    public const int Capacity = 8;

    private readonly RunDirectory _run;
    private readonly SharedRegion[] _regions;

    public RingFixture(int slots, int frames)
    {
        _run = RunDirectory.Create();
        _regions = new SharedRegion[slots];
        for (int s = 0; s < slots; s++)
        {
            _regions[s] = SharedRegion.Create(_run.RegionPath(s), new RegionLayout(frames, Channels, Rate, Capacity), s);
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
        _run.Dispose();
    }
}
