namespace Perpetuo.Supervisor.Control;

/// <summary>
/// Starts worker processes for the engine. The real one runs this program's hidden `worker` verb
/// (<see cref="WorkerLaunch"/>); a simulation completes the tasks when its schedule says (a slow spawn, a failed one).
/// </summary>
/// <remarks>
/// Both calls return at once: fork and exec take tens of milliseconds on a busy machine, and the control thread must
/// keep feeding render limits meanwhile; it looks at the task on later ticks.
/// </remarks>
public interface IWorkerLauncher
{
    /// <summary>
    /// A worker for the region at <paramref name="regionPath"/>: <paramref name="spare"/>, if it is given and still
    /// alive, told its slot; otherwise a new process, started at niceness <paramref name="nice"/>.
    /// </summary>
    Task<IWorkerProcess> Start(string regionPath, string patchPath, int nice, IWorkerProcess? spare);

    /// <summary>A warm spare: started and compiled, waiting to be told its slot (<see cref="Start"/>).</summary>
    Task<IWorkerProcess> StartSpare(int nice);
}
