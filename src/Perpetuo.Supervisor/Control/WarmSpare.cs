
namespace Perpetuo.Supervisor.Control;

/// <summary>
/// The warm spare: one worker process started ahead, compiled and waiting, given to the next slot that needs a
/// worker. A worker started on demand needs hundreds of milliseconds to load and compile before its first block;
/// when every replica died at once (a deterministic crash) the output is silent for all of that. A spare attaches
/// in milliseconds.
/// </summary>
/// <remarks>
/// Design: a spare is started only once the pair has been whole for a settle time (a second of audio), counted
/// again from each time it becomes whole, so its own start-up (a process, compiling, the LV2 world: about a second
/// of one core) never overlaps a start or a recovery on a two-core machine. The process is started on a pool thread
/// (fork and exec can take tens of milliseconds on a busy machine; the control thread must keep feeding render
/// limits meanwhile). It exits by itself when its standard input closes (the supervisor stopped or died).
/// Invariants (<c>WarmSpareTests</c>): at most one spare at a time; none before the settle time; <see cref="Take"/>
/// hands over a started, living process, once; after <see cref="Kill"/> none is left. Control thread only (and the
/// disposing thread, after it).
/// </remarks>
public sealed class WarmSpare
{
    private readonly Func<Task<IWorkerProcess>> _start;
    private readonly long _settleBlocks;
    private Task<IWorkerProcess>? _starting;
    private long _notBefore = -1; // output block before which no spare is started (the pair settles first)

    /// <param name="start">Starts a spare process (the task completes once it is started).</param>
    /// <param name="settleBlocks">How many blocks the pair plays whole before a spare is started.</param>
    public WarmSpare(Func<Task<IWorkerProcess>> start, long settleBlocks)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentOutOfRangeException.ThrowIfNegative(settleBlocks);
        _start = start;
        _settleBlocks = settleBlocks;
    }

    /// <summary>True from the start of a spare until it is taken or killed.</summary>
    public bool Pending => _starting != null;

    /// <summary>
    /// Every tick: starts a spare when there is none and the pair (every slot) has played whole for the settle time.
    /// </summary>
    /// <param name="pairWhole">Every slot has a worker whose blocks may be heard.</param>
    /// <param name="played">The output's position (the next block it plays).</param>
    public void Replenish(bool pairWhole, long played)
    {
        if (_starting is { IsFaulted: true })
        {
            _starting = null; // could not be started: try again after another settle time, not every tick
            _notBefore = played + _settleBlocks;
        }
        if (_starting != null)
        {
            return;
        }
        if (!pairWhole)
        {
            _notBefore = -1; // not whole: wait for it to be, then for the settle time
            return;
        }
        if (_notBefore < 0)
        {
            _notBefore = played + _settleBlocks;
        }
        if (played >= _notBefore)
        {
            _starting = _start();
        }
    }

    /// <summary>The spare, if one is started and alive (the caller owns it from here); else null, and a dead one is dropped.</summary>
    public IWorkerProcess? Take()
    {
        if (_starting is not { IsCompleted: true } starting)
        {
            return null; // still starting: the caller starts a worker of its own rather than wait
        }
        _starting = null;
        if (!starting.IsCompletedSuccessfully)
        {
            return null; // could not be started: the next replenish tries again
        }
        IWorkerProcess p = starting.Result;
        if (p.HasExited)
        {
            p.Dispose();
            return null;
        }
        return p;
    }

    /// <summary>Kills the spare, if any, waiting (bounded) for one still starting. At shutdown.</summary>
    public void Kill()
    {
        Task<IWorkerProcess>? starting = _starting;
        _starting = null;
        if (starting == null)
        {
            return;
        }
        try
        {
            starting.Wait(TimeSpan.FromSeconds(10));
        }
        catch (AggregateException)
        {
            return; // never started: nothing to kill
        }
        if (starting.IsCompletedSuccessfully)
        {
            using IWorkerProcess p = starting.Result;
            if (!p.HasExited)
            {
                p.Kill();
                p.WaitForExit(TimeSpan.FromSeconds(2));
            }
        }
    }
}
