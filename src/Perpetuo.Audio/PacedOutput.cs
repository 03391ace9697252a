using System.Diagnostics;

namespace Perpetuo.Audio;

/// <summary>
/// An output clocked by a managed thread at the block period: it stands in for a device where there is none.
/// </summary>
/// <remarks>
/// Design: deadlines are absolute (start + n * period), so sleeping late never drifts the average rate; a block
/// whose deadline has passed is pulled at once. The pacing thread is the "audio thread" for the source; what a
/// subclass does with the block (discard, write a file) happens on that thread after the source returns.
/// </remarks>
public abstract class PacedOutput : IAudioOutput
{
    private readonly float[] _block;
    private Thread? _thread;
    private volatile bool _stop;
    private long _blocks;
    private long _lateWakeups;
    private readonly long _maxFrames;
    private readonly ManualResetEventSlim _finished = new(false);

    protected PacedOutput(string name, AudioFormat format, long maxFrames)
    {
        Name = name;
        Format = format;
        _block = new float[format.BlockSamples];
        _maxFrames = maxFrames <= 0 ? long.MaxValue : maxFrames;
    }

    public string Name { get; }

    public AudioFormat Format { get; }

    public long BlocksPlayed => Interlocked.Read(ref _blocks);

    /// <summary>Times the pacing thread woke more than two periods late and rebased its clock.</summary>
    public long Xruns => Interlocked.Read(ref _lateWakeups);

    /// <inheritdoc/>
    /// <remarks>Its own thread asks for SCHED_FIFO when it starts (granted with the same privilege the workers need).</remarks>
    public bool AudioThreadMayBeRealtime => true;

    /// <summary>True when the output stops by itself after a number of frames given at construction.</summary>
    public bool HasFrameLimit => _maxFrames != long.MaxValue;

    /// <summary>Set when the frame limit given at construction has been played.</summary>
    public WaitHandle Finished => _finished.WaitHandle;

    public void Start(IBlockSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        CallbackWarmUp.Prepare(GetType(), source.GetType());
        _thread = new Thread(() => Run(source)) { Name = "perpetuo-output", IsBackground = true, Priority = ThreadPriority.Highest };
        _thread.Start();
    }

    public void Stop()
    {
        _stop = true;
        _thread?.Join();
        _thread = null;
    }

    /// <summary>Called on the pacing thread with each block (or its head, for the last one).</summary>
    protected abstract void Deliver(ReadOnlySpan<float> interleaved);

    private void Run(IBlockSource source)
    {
        RealtimeThread.TryPromoteCurrent();
        double period = Format.BlockFrames * (double)Stopwatch.Frequency / Format.SampleRate;
        long start = Stopwatch.GetTimestamp();
        long played = 0;
        long n = 0;
        while (!_stop && played < _maxFrames)
        {
            long deadline = start + (long)(n * period);
            long wait = deadline - Stopwatch.GetTimestamp();
            if (wait < -2 * period)
            {
                // Woken far too late (the machine was busy): a device would have had an xrun here. Rebase the clock
                // instead of bursting through the backlog, which would only drain the workers' lead.
                start = Stopwatch.GetTimestamp() - (long)(n * period);
                Interlocked.Increment(ref _lateWakeups);
            }
            if (wait > 0)
            {
                if (OperatingSystem.IsLinux())
                {
                    Native.LibC.SleepUntil(deadline); // to the microsecond, without spinning
                }
                else
                {
                    Thread.Sleep(TimeSpan.FromTicks(Math.Max(1, wait * TimeSpan.TicksPerSecond / Stopwatch.Frequency)));
                }
                continue;
            }
            source.TryFillBlock(_block);
            int frames = (int)Math.Min(Format.BlockFrames, _maxFrames - played);
            Deliver(_block.AsSpan(0, frames * Format.Channels));
            played += frames;
            n++;
            Interlocked.Increment(ref _blocks);
        }
        _finished.Set();
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            Stop();
            _finished.Dispose();
        }
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }
}
