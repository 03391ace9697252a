namespace Perpetuo.Transport.Tests;

/// <summary>The block hash: every code path gives the same value, the copying pass copies exactly, and what it
/// must catch (any changed bit, any non-finite sample) it catches.</summary>
public sealed class BlockHashTests
{
    private static float[] RandomBits(Random rng, int length)
    {
        float[] b = new float[length];
        for (int i = 0; i < length; i++)
        {
            b[i] = BitConverter.Int32BitsToSingle(rng.Next() ^ (rng.Next() << 16));
        }
        return b;
    }

    private static float[] Finite(Random rng, int length)
    {
        float[] b = new float[length];
        for (int i = 0; i < length; i++)
        {
            b[i] = (float)((rng.NextDouble() * 2) - 1);
        }
        return b;
    }

    [Fact]
    public void TheVectorPathsTheScalarPathAndTheCopyingPassGiveTheSameHash()
    {
        var rng = new Random(7);
        for (int length = 0; length <= 1100; length += length < 40 ? 1 : 37)
        {
            float[] block = length % 3 == 0 ? RandomBits(rng, length) : Finite(rng, length);
            ulong scalar = BlockHash.ComputeScalar(block, out bool scalarFinite);
            ulong vector = BlockHash.Compute(block, out bool vectorFinite);
            ulong narrow = BlockHash.ComputeWithoutAvx512(block, out bool narrowFinite);
            float[] copy = new float[length + 5];
            ulong copied = BlockHash.CopyAndCompute(block, copy, out bool copiedFinite);
            ulong published = BlockHash.CopyAndCompute(block, new float[length]);

            Assert.Equal(scalar, vector);
            Assert.Equal(scalar, narrow);
            Assert.Equal(scalarFinite, narrowFinite);
            Assert.Equal(scalar, copied);
            Assert.Equal(scalar, published);
            Assert.Equal(scalar, BlockHash.Compute(block));
            Assert.Equal(scalarFinite, vectorFinite);
            Assert.Equal(scalarFinite, copiedFinite);
            Assert.Equal(block.Select(BitConverter.SingleToInt32Bits), copy[..length].Select(BitConverter.SingleToInt32Bits));
            Assert.All(copy[length..], s => Assert.Equal(0f, s));
        }
    }

    [Theory]
    [InlineData(256)]
    [InlineData(255)]
    [InlineData(960)]
    public void EveryNonFiniteSampleIsFoundWhereverItIs(int length)
    {
        float[] clean = Finite(new Random(length), length);
        clean[0] = float.MaxValue;
        clean[1] = -float.MaxValue;
        clean[2] = float.Epsilon; // subnormal: finite
        Assert.True(Finite(clean));
        float[] poison = [float.NaN, float.PositiveInfinity, float.NegativeInfinity,
                          BitConverter.Int32BitsToSingle(unchecked((int)0xFFC00001)), // negative NaN with a payload
                          BitConverter.Int32BitsToSingle(0x7F800001)];               // signalling NaN
        for (int i = 0; i < length; i++)
        {
            foreach (float p in poison)
            {
                float[] bad = (float[])clean.Clone();
                bad[i] = p;
                Assert.False(Finite(bad), $"sample {i} = {BitConverter.SingleToInt32Bits(p):X8} not caught");
            }
        }
    }

    private static bool Finite(float[] block)
    {
        BlockHash.Compute(block, out bool vector);
        BlockHash.ComputeScalar(block, out bool scalar);
        BlockHash.ComputeWithoutAvx512(block, out bool narrow);
        Assert.Equal(vector, narrow);
        BlockHash.CopyAndCompute(block, new float[block.Length], out bool copied);
        Assert.Equal(vector, scalar);
        Assert.Equal(vector, copied);
        return vector;
    }

    [Fact]
    public void EverySingleBitFlipChangesTheHash()
    {
        float[] block = Finite(new Random(3), 256);
        ulong original = BlockHash.Compute(block);
        var seen = new HashSet<ulong> { original };
        for (int i = 0; i < block.Length; i++)
        {
            for (int bit = 0; bit < 32; bit++)
            {
                float[] flipped = (float[])block.Clone();
                flipped[i] = BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(block[i]) ^ (1 << bit));
                Assert.True(seen.Add(BlockHash.Compute(flipped)), $"sample {i} bit {bit} collided");
            }
        }
    }

    [Fact]
    public void DifferencesThatCancelInASumStillChangeTheHash()
    {
        float[] block = Finite(new Random(5), 256);
        ulong original = BlockHash.Compute(block);
        for (int i = 0; i + 8 < block.Length; i += 7)
        {
            float[] signs = (float[])block.Clone();
            signs[i] = -signs[i];
            signs[i + 8] = -signs[i + 8]; // same lane, sign bits flipped twice: a plain sum would not move
            float[] swapped = (float[])block.Clone();
            (swapped[i], swapped[i + 8]) = (swapped[i + 8], swapped[i]);
            float[] zero = (float[])block.Clone();
            zero[i] = -0f;
            Assert.NotEqual(original, BlockHash.Compute(signs));
            Assert.NotEqual(original, BlockHash.Compute(swapped));
            Assert.NotEqual(BlockHash.Compute(zero), BlockHash.Compute(zero.Select((s, k) => k == i ? 0f : s).ToArray()));
        }
        Assert.NotEqual(BlockHash.Compute(block), BlockHash.Compute(block.AsSpan(0, 255)));
    }

    [Fact]
    public void ADestinationTooSmallIsRefusedBeforeAnythingIsWritten()
    {
        float[] small = new float[10];
        Assert.Throws<ArgumentException>(() => BlockHash.CopyAndCompute(new float[11], small, out _));
        Assert.Throws<ArgumentException>(() => BlockHash.CopyAndCompute(new float[11], small));
    }
}
