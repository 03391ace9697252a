using Perpetuo.Supervisor.Control;

namespace Perpetuo.Supervisor.Tests.Simulation;

/// <summary>
/// The simulation's process starter: every start completes when the schedule says (a spawn takes 20-300 ms of
/// simulated time, now and then seconds; some fail), and the started worker needs its own start-up time before its
/// first block. Spares start the same way and attach in a millisecond.
/// </summary>
internal sealed class SimLauncher(SimClock clock, Random random, int blockSamples, SimSchedule schedule) : IWorkerLauncher
{
    private readonly List<(long Due, TaskCompletionSource<IWorkerProcess> Task, SimWorker? Worker, string? Region)> _pending = [];

    /// <summary>From now on every start fails (an executable gone, a full process table).</summary>
    public bool Broken { get; set; }

    /// <summary>Starts asked for, spares included.</summary>
    public int Starts { get; private set; }

    /// <summary>Every worker ever started, in order.</summary>
    public List<SimWorker> Workers { get; } = [];

    public Task<IWorkerProcess> Start(string regionPath, string patchPath, int nice, IWorkerProcess? spare)
    {
        if (spare is SimWorker { Dead: false, Attached: false } warm)
        {
            return Later(SimClock.Ms(1), warm, regionPath);
        }
        var worker = new SimWorker(clock, blockSamples, SimClock.Ms(random.Next(10, 120)));
        Workers.Add(worker);
        return Later(SpawnTicks(), worker, regionPath);
    }

    public Task<IWorkerProcess> StartSpare(int nice)
    {
        var worker = new SimWorker(clock, blockSamples, SimClock.Ms(random.Next(200, 900)));
        Workers.Add(worker);
        return Later(SpawnTicks(), worker, null);
    }

    /// <summary>Completes (or fails) the starts that are due.</summary>
    public void CompleteDue()
    {
        for (int i = 0; i < _pending.Count; i++)
        {
            var p = _pending[i];
            if (clock.Now < p.Due)
            {
                continue;
            }
            _pending.RemoveAt(i--);
            if (p.Worker == null)
            {
                p.Task.SetException(new InvalidOperationException("simulated exec failure"));
                continue;
            }
            if (p.Region != null)
            {
                p.Worker.AttachTo(p.Region, 0);
            }
            p.Task.SetResult(p.Worker);
        }
    }

    /// <summary>At the end: every start still pending fails, so that the engine's shutdown waits for none.</summary>
    public void FailPending()
    {
        foreach (var p in _pending)
        {
            p.Task.TrySetException(new InvalidOperationException("simulation over"));
        }
        _pending.Clear();
    }

    private Task<IWorkerProcess> Later(long ticks, SimWorker worker, string? region)
    {
        Starts++;
        var task = new TaskCompletionSource<IWorkerProcess>(TaskCreationOptions.RunContinuationsAsynchronously);
        bool fails = Broken || random.NextDouble() < schedule.SpawnFailureRate;
        _pending.Add((clock.Now + ticks, task, fails ? null : worker, region));
        return task.Task;
    }

    private long SpawnTicks() => random.NextDouble() < schedule.SlowSpawnRate
        ? SimClock.Ms(random.Next(1000, 3000))
        : SimClock.Ms(random.Next(20, 300));
}
