using System.Collections.Concurrent;

namespace Perpetuo.Worker;

/// <summary>
/// The render thread's errands: work it must never do inside a block — build a plugin ahead of its block, write a
/// fault's line to stderr — done in order by one background thread of ordinary priority, started with the worker.
/// </summary>
/// <remarks>
/// Design: the render thread never creates a thread and never touches the thread pool. The pool creates its threads
/// when work comes and retires them after seconds of idleness, so a work item queued from the render thread can mean
/// a thread created inside a block (a stack mapped, a clone, the runtime waiting for the new thread to run) while
/// every core runs a replica at real-time priority — and a thread created by the render thread inherits its
/// real-time policy. Measured: the first exception's line queued to the pool cost a median 13 blocks at 64 × 3
/// (docs/performance.md, Deterministic faults), in every replica at once. This thread is made by the worker's main
/// thread before it renders (so it stays at the worker's start-up niceness, below the render thread), and
/// <see cref="Post"/> is a lock-free enqueue and a semaphore release. One thread, errands in order: they are rare and
/// short (a plugin's build ahead is handed on from here to the pool, so that plugins added together build side by
/// side). An errand that throws is its own loss, never the worker's.
/// </remarks>
public sealed class WorkerErrands : IDisposable
{
    private readonly ConcurrentQueue<Action> _queue = new();
    private readonly SemaphoreSlim _posted = new(0, int.MaxValue);
    private volatile bool _stopped;

    /// <summary>Starts the thread (call it from the thread that will render, before it renders).</summary>
    public WorkerErrands()
    {
        new Thread(Loop) { IsBackground = true, Name = "perpetuo-errands" }.Start(); // background: never keeps a worker alive
    }

    /// <summary>Errands done so far.</summary>
    public long Done => Volatile.Read(ref _done);
    private long _done;

    /// <summary>Queues <paramref name="errand"/>. Any thread; never blocks on the errand thread's work.</summary>
    public void Post(Action errand)
    {
        ArgumentNullException.ThrowIfNull(errand);
        _queue.Enqueue(errand);
        _posted.Release();
    }

    private void Loop()
    {
        while (true)
        {
            _posted.Wait();
            if (_stopped)
            {
                return;
            }
            if (!_queue.TryDequeue(out Action? errand))
            {
                continue;
            }
            try
            {
                errand();
            }
#pragma warning disable CA1031 // an errand's failure (a closed stderr, a plugin that would not build ahead) never ends the worker
            catch (Exception)
#pragma warning restore CA1031
            {
            }
            Interlocked.Increment(ref _done);
        }
    }

    /// <summary>Ends the thread after the errand it is doing (queued ones are dropped); does not wait for it.</summary>
    public void Dispose()
    {
        _stopped = true;
        _posted.Release();
    }
}
