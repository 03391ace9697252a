namespace Perpetuo.Supervisor.Callback;

/// <summary>Events from the audio callback to the control thread (see <see cref="SpscRing{T}"/> for the design).</summary>
public sealed class EventQueue(int capacityPow2 = 1024) : SpscRing<EngineEvent>(capacityPow2)
{
    /// <summary>Adds an event or counts it as dropped.</summary>
    /// <remarks>Audio thread only. Wait-free, allocation-free.</remarks>
    public void TryPost(in EngineEvent e) => TryWrite(e);
}
