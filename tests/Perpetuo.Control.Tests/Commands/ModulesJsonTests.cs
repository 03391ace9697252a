using System.Text.Json;
using Perpetuo.Control.Commands;

namespace Perpetuo.Control.Tests.Commands;

public class ModulesJsonTests
{
    [Fact]
    public void WritesTheDocumentedExampleExactly()
    {
        // docs/protocol.md, Modules JSON (whitespace removed): the names and the number format must not change.
        const string documented = """[{"id":"filter","type":"filter","params":[{"name":"mode","value":0,"min":0,"max":2},{"name":"cutoff","value":400,"min":20,"max":20000},{"name":"resonance","value":0.55,"min":0,"max":1}]}]""";
        var modules = new[]
        {
            new ModuleJson("filter", "filter", [new ParamJson("mode", 0, 0, 2), new ParamJson("cutoff", 400, 20, 20000), new ParamJson("resonance", 0.55f, 0, 1)]),
        };
        Assert.Equal(documented, ModuleJson.ToJson(modules));
    }

    [Fact]
    public void RoundTripsThroughTheGeneratedContext()
    {
        var p = new ParamJson("cutoff", 1234.5f, 20, 20000);
        IReadOnlyList<ModuleJson> back = ModuleJson.ParseList(ModuleJson.ToJson([new ModuleJson("f", "filter", [p])]));
        ModuleJson only = Assert.Single(back);
        Assert.Equal(("f", "filter"), (only.Id, only.Type));
        Assert.Equal(p, Assert.Single(only.Params));
    }

    [Fact]
    public void ParsesTheModelsOwnReply()
    {
        GraphModel model = CommandTestData.NewModel();
        IReadOnlyList<ModuleJson> parsed = ModuleJson.ParseList(model.ToJson());
        Assert.Equal(model.Modules.Select(m => m.Id), parsed.Select(m => m.Id));
        Assert.Equal(model.ToModuleJson().SelectMany(m => m.Params), parsed.SelectMany(m => m.Params));
        Assert.Throws<JsonException>(() => ModuleJson.ParseList("{}"));
    }
}
