using Perpetuo.Transport;

namespace Perpetuo.Supervisor.Control;

/// <summary>Searches of command records kept in stamp order (the command log, the schedule).</summary>
internal static class StampOrder
{
    /// <summary>Index of the first record stamped at or after <paramref name="block"/> (<c>records.Length</c> if none).</summary>
    public static int FirstAtOrAfter(ReadOnlySpan<CommandRecord> records, long block)
    {
        int lo = 0, hi = records.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (records[mid].ApplyBlock < block)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        return lo;
    }
}
