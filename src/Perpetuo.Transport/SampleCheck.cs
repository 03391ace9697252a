using System.Numerics;
using System.Runtime.InteropServices;

namespace Perpetuo.Transport;

/// <summary>Vectorised checks on sample buffers. Allocation-free.</summary>
public static class SampleCheck
{
    private const uint ExponentMask = 0x7F80_0000u;

    /// <summary>True when no sample is NaN or infinite (exponent bits all ones).</summary>
    public static bool AllFinite(ReadOnlySpan<float> samples)
    {
        ReadOnlySpan<uint> bits = MemoryMarshal.Cast<float, uint>(samples);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var mask = new Vector<uint>(ExponentMask);
            var acc = Vector<uint>.Zero;
            for (; i + Vector<uint>.Count <= bits.Length; i += Vector<uint>.Count)
            {
                var v = new Vector<uint>(bits.Slice(i, Vector<uint>.Count));
                acc |= Vector.Equals(v & mask, mask);
            }
            if (acc != Vector<uint>.Zero)
            {
                return false;
            }
        }
        for (; i < bits.Length; i++)
        {
            if ((bits[i] & ExponentMask) == ExponentMask)
            {
                return false;
            }
        }
        return true;
    }
}
