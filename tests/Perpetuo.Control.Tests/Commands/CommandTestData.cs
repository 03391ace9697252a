using Perpetuo.Control.Catalog;
using Perpetuo.Control.Commands;
using Perpetuo.Control.Osc;
using Perpetuo.Control.Patches;

namespace Perpetuo.Control.Tests.Commands;

/// <summary>A small catalog and patch, and a helper that runs one OSC message through the parser.</summary>
internal static class CommandTestData
{
    public static ModuleCatalog Catalog { get; } = new(
    [
        new ModuleTypeInfo("osc", "oscillator",
        [
            new ParamInfo("freq", 20, 20000, 440, "Hz"),
            new ParamInfo("gain", 0, 1, 0.5f, "linear"),
        ]),
        new ModuleTypeInfo("filter", "lowpass",
        [
            new ParamInfo("cutoff", 20, 20000, 1000, "Hz"),
            new ParamInfo("resonance", 0, 1, 0.1f, ""),
        ]),
    ]);

    public static PatchSpec Patch { get; } = new(
    [
        new ModuleSpec("osc", "lead", [new("freq", 220f)]),
        new ModuleSpec("filter", "filter", [new("cutoff", 1400f)]),
    ]);

    public static GraphModel NewModel() => GraphModel.FromPatch(Patch, Catalog);

    /// <summary>Encodes <paramref name="message"/> and parses it against <paramref name="model"/>.</summary>
    public static (ControlRequest? Request, string? Error) Parse(OscMessage message, GraphModel model)
    {
        byte[] bytes = message.ToArray();
        Assert.True(OscMessageReader.TryCreate(bytes, out OscMessageReader reader, out string? codecError), codecError);
        bool ok = RequestParser.TryParse(reader, model, out ControlRequest? request, out string? error);
        Assert.Equal(ok, request != null);
        Assert.Equal(ok, error == null);
        return (request, error);
    }
}
