namespace Perpetuo.Audio;

// The consumer side: the writer thread drains the ring into the sink, filling dropped blocks with silence.
public sealed partial class RecordingSource
{
    private static readonly TimeSpan IdleSleep = TimeSpan.FromMilliseconds(2);

    private readonly Thread _writer;
    private volatile bool _completing;
    private long _expected;
    private float[]? _silence;
    private Exception? _failure;

    /// <summary>
    /// Waits until every block recorded so far has reached the sink, then stops the writer thread. Call it after the
    /// output has stopped calling <see cref="TryFillBlock"/>. Rethrows a failure of the sink. Control thread only.
    /// </summary>
    public void Complete()
    {
        _completing = true;
        _writer.Join();
        if (_failure != null)
        {
            throw new IOException($"recording failed: {_failure.Message}", _failure);
        }
    }

    /// <summary>Stops the writer thread (draining what is recorded); never throws.</summary>
    public void Dispose()
    {
        _completing = true;
        _writer.Join();
    }

    private void WriterLoop()
    {
        try
        {
            while (true)
            {
                bool last = _completing; // read before draining: the final pass then sees every block written before Complete
                int taken = Drain();
                if (taken == 0 && last)
                {
                    return;
                }
                if (taken == 0)
                {
                    Thread.Sleep(IdleSleep);
                }
            }
        }
#pragma warning disable CA1031 // The writer thread must not crash the process: the failure is rethrown by Complete.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _failure = e;
        }
    }

    /// <summary>Hands every block available now to the sink; returns how many. Writer thread only.</summary>
    private int Drain()
    {
        int taken = 0;
        long r = _indices.Read; // our own index: a plain read
        // Acquire: pairs with the producer's release, so the blocks below Write (and their numbers) are fully written.
        _indices.WriteCopy = Volatile.Read(ref _indices.Write);
        while (r < _indices.WriteCopy)
        {
            int slot = (int)(r & _mask);
            long number = _numbers[slot];
            FillGap(number);
            _sink(_blocks.AsSpan(slot * _samples, _samples), number);
            _expected = number + 1;
            r++;
            Volatile.Write(ref _indices.Read, r); // release: our reads of the slot are done before the producer may reuse it
            taken++;
        }
        return taken;
    }

    /// <summary>Dropped blocks (a jump in the callback numbers) become silence, so what follows keeps its time.</summary>
    private void FillGap(long number)
    {
        for (long n = _expected; n < number; n++)
        {
            _silence ??= new float[_samples];
            _sink(_silence, n);
        }
    }
}
