using Perpetuo.Transport;

namespace Perpetuo.Supervisor.Callback;

/// <summary>
/// The audio callback's side of the live input: each captured block goes, stamped with one block number, into
/// every slot's region (for its worker) and into the supervisor's own tape (for the journal).
/// </summary>
/// <remarks>
/// Design: the captured blocks are numbered from the ring depth on: input block <c>depth + k</c> is the k-th block
/// captured, and blocks below the depth (rendered before anything was captured) are silence, stamped before the
/// output starts (<see cref="StampSilence"/>). When the device's period equals the block, the k-th capture arrives in
/// the callback that plays block k, just before it releases block k: the release is what lets the workers render
/// block k + depth, and its input is already there. So the input costs no latency beyond the ring depth, and
/// every replica renders block N from the same input N, whenever it renders it (a resyncing worker included: the
/// region keeps the history). Wait-free, allocation-free: a copy per ring and a doorbell ring per slot.
/// </remarks>
public sealed class InputFanOut
{
    private readonly InputRingWriter[] _rings;
    private long _next;

    /// <param name="rings">One writer per slot region, and one for the tape.</param>
    /// <param name="depth">The ring depth: the number the first captured block is stamped with.</param>
    public InputFanOut(IReadOnlyList<InputRingWriter> rings, int depth)
    {
        ArgumentNullException.ThrowIfNull(rings);
        ArgumentOutOfRangeException.ThrowIfLessThan(depth, 1);
        _rings = [.. rings];
        Depth = depth;
        _next = depth;
    }

    /// <summary>The block number the first captured block gets.</summary>
    public int Depth { get; }

    /// <summary>Every block below this one has its input in every ring. Any thread.</summary>
    public long Next => Volatile.Read(ref _next);

    /// <summary>Stamps blocks 0 to depth - 1 as silence: the blocks rendered before anything was captured. Before the output starts.</summary>
    public void StampSilence(int blockSamples)
    {
        float[] silence = new float[blockSamples];
        for (long seq = 0; seq < Depth; seq++)
        {
            foreach (InputRingWriter ring in _rings)
            {
                ring.TryWrite(seq, silence);
            }
        }
    }

    /// <summary>Writes the next captured block into every ring.</summary>
    /// <param name="interleaved">The block.</param>
    /// <param name="released">The callback's read position now (every block below it released).</param>
    /// <remarks>
    /// Audio thread only. Wait-free, allocation-free. The doorbells ring only if a worker may render the block now
    /// (it is below the read position plus the depth): when the period is the block, the block's input arrives just
    /// before the release that lets the workers render it, and the release rings anyway — one wake-up per block, not
    /// two (each is a system call on the audio thread while the worker sleeps).
    /// </remarks>
    public void TryPut(ReadOnlySpan<float> interleaved, long released)
    {
        long seq = _next;
        bool wake = seq < released + Depth;
        for (int i = 0; i < _rings.Length; i++)
        {
            _rings[i].TryWrite(seq, interleaved, wake);
        }
        Volatile.Write(ref _next, seq + 1); // release: the blocks are in the rings before the control thread sees the number
    }
}
