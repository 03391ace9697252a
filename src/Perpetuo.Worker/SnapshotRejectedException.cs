namespace Perpetuo.Worker;

/// <summary>
/// The snapshot the supervisor placed for this worker's start block could not be loaded (truncated, bad checksum,
/// another format version). The worker exits with <see cref="Transport.WorkerExitCode.SnapshotRejected"/> so the
/// supervisor can fall back to another snapshot instead of retrying this one.
/// </summary>
public sealed class SnapshotRejectedException : Exception
{
    public SnapshotRejectedException()
    {
    }

    public SnapshotRejectedException(string message)
        : base(message)
    {
    }

    public SnapshotRejectedException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
