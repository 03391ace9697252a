namespace Perpetuo.Supervisor.Control;

/// <summary>
/// A worker process as the control thread sees it: a pid, whether it has ended, and the signals the engine sends it.
/// The real one is an operating-system process (<see cref="OsWorkerProcess"/>); a simulation gives its own, so that
/// the control thread's decisions can be driven through thousands of seeded schedules without a process.
/// </summary>
/// <remarks>Nothing here blocks except <see cref="WaitForExit"/>, which the engine calls only at shutdown.</remarks>
public interface IWorkerProcess : IDisposable
{
    /// <summary>The process id.</summary>
    int Pid { get; }

    /// <summary>The process has exited and its exit status is known (<see cref="ExitCode"/>).</summary>
    bool HasExited { get; }

    /// <summary>The exit status (128 + N for a signal N); only once <see cref="HasExited"/>.</summary>
    int ExitCode { get; }

    /// <summary>The process is gone or a zombie: it died, even if its exit was not collected yet.</summary>
    bool HasEnded { get; }

    /// <summary>Sends SIGKILL; returns at once (the exit is seen on a later look at <see cref="HasExited"/>).</summary>
    void Kill();

    /// <summary>
    /// Its render thread leaves real-time priority (<paramref name="realtime"/> false) or takes it again: a worker stuck
    /// spinning at real-time priority must keep no core from the others, one that was only slow gets it back. Does
    /// nothing where workers never had real-time priority.
    /// </summary>
    void SetRealtime(bool realtime);

    /// <summary>Waits up to <paramref name="timeout"/> for the exit; true once exited. Shutdown only.</summary>
    bool WaitForExit(TimeSpan timeout);
}
