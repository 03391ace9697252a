namespace Perpetuo.Control.Commands;

/// <summary>
/// The single-command requests of one packet (a parameter change, a note), reused packet after packet so that a
/// steady stream of them — a player's knobs and keys, for hours — makes no garbage in the audio process.
/// </summary>
/// <remarks>
/// Control thread only. Its owner clears it when the requests it gave are no longer read (the server: at the start
/// of each packet); past <see cref="Capacity"/> requests between two clears, the parser allocates as without a pool.
/// </remarks>
public sealed class RequestPool
{
    private readonly ControlRequest[] _requests;
    private int _used;

    /// <param name="capacity">Requests between two clears (the server: the most messages one packet may hold).</param>
    public RequestPool(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _requests = new ControlRequest[capacity];
        for (int i = 0; i < capacity; i++)
        {
            _requests[i] = ControlRequest.ForPool();
        }
    }

    public int Capacity => _requests.Length;

    /// <summary>Every request given since the last clear may be given again.</summary>
    public void Clear() => _used = 0;

    /// <summary>A request of one command, from the pool if one is left, else a new one.</summary>
    internal ControlRequest For(string address, ControlCommand command) =>
        _used < _requests.Length ? _requests[_used++].Reuse(address, command) : ControlRequest.ForCommands(address, [command]);
}
