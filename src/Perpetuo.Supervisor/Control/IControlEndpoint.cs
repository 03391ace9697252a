namespace Perpetuo.Supervisor.Control;

/// <summary>A control interface the engine's control thread polls once per tick (e.g. the OSC server).</summary>
/// <remarks>Poll must not block: it handles what has arrived and returns.</remarks>
public interface IControlEndpoint
{
    /// <summary>Handles pending requests against <paramref name="engine"/>. Control thread only.</summary>
    void Poll(Engine engine);
}
