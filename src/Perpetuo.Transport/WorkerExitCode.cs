namespace Perpetuo.Transport;

/// <summary>Exit codes by which a worker tells its supervisor why it stopped (besides being killed).</summary>
public static class WorkerExitCode
{
    /// <summary>The supervisor went away: nothing left to render for.</summary>
    public const int SupervisorGone = 0;

    /// <summary>The command ring broke its protocol: the supervisor should replace this worker.</summary>
    public const int CommandRingCorrupt = 3;

    /// <summary>The snapshot the supervisor placed for the start block could not be loaded.</summary>
    public const int SnapshotRejected = 4;

    /// <summary>The live input of the next block was overwritten before the worker reached it (a whole input ring behind).</summary>
    public const int InputLost = 5;
}
