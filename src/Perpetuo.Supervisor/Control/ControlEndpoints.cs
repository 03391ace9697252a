namespace Perpetuo.Supervisor.Control;

/// <summary>Several endpoints polled in order as one (e.g. the OSC server and the metrics snapshot).</summary>
/// <remarks>Control thread only, like every <see cref="IControlEndpoint"/>.</remarks>
public sealed class ControlEndpoints(params IControlEndpoint?[] endpoints) : IControlEndpoint
{
    private readonly IControlEndpoint[] _endpoints = [.. endpoints.OfType<IControlEndpoint>()];

    /// <summary>Polls each endpoint once.</summary>
    public void Poll(Engine engine)
    {
        foreach (IControlEndpoint e in _endpoints)
        {
            e.Poll(engine);
        }
    }
}
