using System.Net;
using Perpetuo.Control.Catalog;
using Perpetuo.Control.Commands;
using Perpetuo.Control.Patches;
using Perpetuo.Supervisor.Osc;

namespace Perpetuo.Supervisor.Tests.Osc;

/// <summary>A server on an ephemeral loopback port over a fake engine, with a client.</summary>
internal sealed class ServerFixture : IDisposable
{
    public static ModuleCatalog Catalog { get; } = new(
    [
        new ModuleTypeInfo("osc", "oscillator", [new ParamInfo("freq", 20, 20000, 440, ""), new ParamInfo("gain", 0, 1, 0.5f, "")]),
        new ModuleTypeInfo("filter", "lowpass", [new ParamInfo("cutoff", 20, 20000, 1000, ""), new ParamInfo("resonance", 0, 1, 0.1f, "")]),
    ]);

    public ServerFixture(PatchDirectory? patches = null, TextWriter? log = null)
    {
        var patch = new PatchSpec([new ModuleSpec("osc", "lead", []), new ModuleSpec("filter", "filter", [new("cutoff", 1400f)])]);
        Server = new OscControlServer(new IPEndPoint(IPAddress.Loopback, 0), GraphModel.FromPatch(patch, Catalog), log, patches);
        Client = new OscTestClient(Server, Target);
    }

    public FakeEngineTarget Target { get; } = new();

    public OscControlServer Server { get; }

    public OscTestClient Client { get; }

    public void Dispose()
    {
        Client.Dispose();
        Server.Dispose();
    }
}
