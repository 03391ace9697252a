using System.Text.Json;
using Perpetuo.Control.Commands;
using Perpetuo.Control.Journal;
using Perpetuo.Control.Patches;
using static Perpetuo.Control.Tests.Commands.CommandTestData;
using Perpetuo.Protocol;

namespace Perpetuo.Control.Tests.Commands;

public class GraphModelTests
{
    [Fact]
    public void StartsAsThePatchWithDefaultsForUnsetParameters()
    {
        GraphModel model = NewModel();
        Assert.Equal(["lead", "filter"], model.Modules.Select(m => m.Id));
        Assert.Equal(220f, model.Find("lead")!.Get("freq"));
        Assert.Equal(0.5f, model.Find("lead")!.Get("gain"));
        Assert.Equal(1400f, model.Find("filter")!.Get("cutoff"));
    }

    [Fact]
    public void FollowsAddsRemovesAndParameterValues()
    {
        GraphModel model = NewModel();
        model.Apply(ControlCommand.AddModule("osc", "bass"));
        model.Apply(ControlCommand.SetParam("bass", "freq", 55));
        model.Apply(ControlCommand.SetParam("filter", "cutoff", 300, ramp: 2));
        model.Apply(new ControlCommand(CommandKind.RemoveModule, "lead", "", 0, 0));
        model.Apply(new ControlCommand(CommandKind.NoteOn, "", "", 60, 1));
        Assert.Equal(["filter", "bass"], model.Modules.Select(m => m.Id));
        Assert.Equal(55f, model.Find("bass")!.Get("freq"));
        Assert.Equal(300f, model.Find("filter")!.Get("cutoff")); // a ramp is recorded at its target
    }

    [Fact]
    public void ClearThenPatchCommandsRebuildTheGraph()
    {
        GraphModel model = NewModel();
        var patch = new PatchSpec([new ModuleSpec("filter", "only", [new("resonance", 0.9f)])]);
        model.Apply(GraphModel.PatchCommands(patch, clearFirst: true));
        ModuleState only = Assert.Single(model.Modules);
        Assert.Equal(("only", "filter", 0.9f), (only.Id, only.Type.Type, only.Get("resonance")));
    }

    [Fact]
    public void CloneIsIndependentOfTheOriginal()
    {
        GraphModel model = NewModel();
        GraphModel copy = model.Clone();
        copy.Apply(ControlCommand.SetParam("filter", "cutoff", 99));
        copy.Apply(new ControlCommand(CommandKind.ClearModules, "", "", 0, 0));
        Assert.Empty(copy.Modules);
        Assert.Equal(1400f, model.Find("filter")!.Get("cutoff"));
        Assert.Equal(2, model.Modules.Count);
    }

    [Fact]
    public void JsonListsEveryParameterWithValueAndRange()
    {
        using JsonDocument doc = JsonDocument.Parse(NewModel().ToJson());
        JsonElement filter = doc.RootElement[1];
        Assert.Equal("filter", filter.GetProperty("id").GetString());
        Assert.Equal("filter", filter.GetProperty("type").GetString());
        JsonElement cutoff = filter.GetProperty("params")[0];
        Assert.Equal(("cutoff", 1400f, 20f, 20000f),
                     (cutoff.GetProperty("name").GetString(), cutoff.GetProperty("value").GetSingle(),
                      cutoff.GetProperty("min").GetSingle(), cutoff.GetProperty("max").GetSingle()));
        Assert.Equal(2, filter.GetProperty("params").GetArrayLength());
    }

    [Fact]
    public void AnInvalidInitialPatchIsRefused()
    {
        var patch = new PatchSpec([new ModuleSpec("osc", "a", [new("freq", 1f)])]);
        Assert.Throws<PatchException>(() => GraphModel.FromPatch(patch, CommandTestData.Catalog));
    }
}
