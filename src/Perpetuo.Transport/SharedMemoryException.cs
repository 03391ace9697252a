namespace Perpetuo.Transport;

/// <summary>
/// Shared memory could not be created or reserved (a full tmpfs or memory cgroup, a file size limit, a kernel
/// without memfd). Its message is one line for the user: what was needed, for what, and the system's reason.
/// </summary>
public sealed class SharedMemoryException : Exception
{
    public SharedMemoryException(string message) : base(message)
    {
    }

    public SharedMemoryException()
    {
    }

    public SharedMemoryException(string message, Exception inner) : base(message, inner)
    {
    }
}
