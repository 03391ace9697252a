namespace Perpetuo.Dsp.Tests;

/// <summary>Deterministic test randomness (tests must not depend on System.Random's algorithm either).</summary>
internal sealed class Xorshift(uint seed)
{
    private uint _s = seed == 0 ? 1u : seed;

    public uint NextUInt()
    {
        _s ^= _s << 13;
        _s ^= _s >> 17;
        _s ^= _s << 5;
        return _s;
    }

    public int Next(int min, int maxExclusive) => maxExclusive <= min ? min : min + (int)(NextUInt() % (uint)(maxExclusive - min));

    public float NextFloat(float min, float max) => min + ((max - min) * (NextUInt() >> 8) / 16777216f);

    public void Fill(byte[] buffer)
    {
        for (int i = 0; i < buffer.Length; i++)
        {
            buffer[i] = (byte)NextUInt();
        }
    }
}
