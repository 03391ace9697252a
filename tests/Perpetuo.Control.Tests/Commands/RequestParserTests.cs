using Perpetuo.Control.Commands;
using Perpetuo.Control.Journal;
using Perpetuo.Control.Osc;
using static Perpetuo.Control.Tests.Commands.CommandTestData;
using Perpetuo.Protocol;

namespace Perpetuo.Control.Tests.Commands;

public class RequestParserTests
{
    private readonly GraphModel _model = NewModel();

    [Fact]
    public void ParamBecomesOneSetParamWithRampInValue2()
    {
        (ControlRequest? r, _) = Parse(new OscMessage("/perpetuo/param", "filter", "cutoff", 400f, 2.5f), _model);
        Assert.Equal(RequestKind.Commands, r!.Kind);
        Assert.Equal("/perpetuo/param", r.Address);
        ControlCommand c = Assert.Single(r.Commands);
        Assert.Equal(new ControlCommand(CommandKind.SetParam, "filter", "cutoff", 400, 2.5f), c);
    }

    [Theory]
    [InlineData('i')]
    [InlineData('h')]
    [InlineData('d')]
    public void IntegersAndDoublesAreAcceptedWhereAFloatIsExpected(char type)
    {
        OscArgument value = type switch { 'i' => 400, 'h' => 400L, _ => 400.0 };
        (ControlRequest? r, _) = Parse(new OscMessage("/perpetuo/param", "filter", "cutoff", value), _model);
        Assert.Equal(400f, Assert.Single(r!.Commands).Value);
    }

    [Theory]
    [InlineData("nosuch", "cutoff", 400f, "unknown module id \"nosuch\"; modules: lead, filter")]
    [InlineData("filter", "cutof", 400f, "unknown parameter \"cutof\"")]
    [InlineData("filter", "cutoff", 5f, "out of range [20, 20000]")]
    [InlineData("filter", "cutoff", 30000f, "out of range [20, 20000]")]
    [InlineData("filter", "cutoff", float.NaN, "finite")]
    [InlineData("filter", "cutoff", float.PositiveInfinity, "finite")]
    public void ParamThatAWorkerWouldRefuseIsRejectedWithTheReason(string id, string name, float value, string expected)
    {
        (ControlRequest? r, string? error) = Parse(new OscMessage("/perpetuo/param", id, name, value), _model);
        Assert.Null(r);
        Assert.StartsWith("/perpetuo/param: ", error);
        Assert.Contains(expected, error);
    }

    [Fact]
    public void DoubleTooLargeForAFloatIsRejectedAsNotFinite()
    {
        (_, string? error) = Parse(new OscMessage("/perpetuo/param", "filter", "cutoff", 1e300), _model);
        Assert.Contains("must be a finite number", error);
    }

    [Fact]
    public void NegativeOrNonFiniteRampIsRejected()
    {
        Assert.Contains("ramp must be", Parse(new OscMessage("/perpetuo/param", "filter", "cutoff", 400f, -1f), _model).Error);
        Assert.Contains("finite", Parse(new OscMessage("/perpetuo/param", "filter", "cutoff", 400f, float.NaN), _model).Error);
    }

    [Fact]
    public void WrongArgumentTypeNamesTheArgumentAndTheUsage()
    {
        (ControlRequest? r, string? error) = Parse(new OscMessage("/perpetuo/param", "filter", "cutoff", "loud"), _model);
        Assert.Null(r);
        Assert.Contains("argument 3 (value) must be a number (f, i, d or h), got 's'", error);
        Assert.Contains("usage: /perpetuo/param ,ssf[f]", error);
        Assert.Contains("argument 1 (module-id) must be a string", Parse(new OscMessage("/perpetuo/param", 1, "cutoff", 400f), _model).Error);
    }

    [Fact]
    public void MissingAndExtraArgumentsAreRejected()
    {
        Assert.Contains("missing argument 3 (value)", Parse(new OscMessage("/perpetuo/param", "filter", "cutoff"), _model).Error);
        Assert.Contains("too many arguments", Parse(new OscMessage("/perpetuo/param", "filter", "cutoff", 1f, 0f, 3f), _model).Error);
        Assert.Contains("too many arguments", Parse(new OscMessage("/perpetuo/notes/off", 1), _model).Error);
        Assert.Contains("too many arguments", Parse(new OscMessage("/perpetuo/status", "x"), _model).Error);
    }

    [Fact]
    public void NoteOnTakesNoteAndVelocity()
    {
        ControlCommand c = Assert.Single(Parse(new OscMessage("/perpetuo/note/on", 60, 0.8f), _model).Request!.Commands);
        Assert.Equal(new ControlCommand(CommandKind.NoteOn, "", "", 60, 0.8f), c);
    }

    [Theory]
    [InlineData(128f, 0.5f, "note must be a whole number 0..127")]
    [InlineData(-1f, 0.5f, "note must be a whole number 0..127")]
    [InlineData(60.5f, 0.5f, "note must be a whole number 0..127")]
    [InlineData(60f, 1.5f, "velocity must be 0..1")]
    [InlineData(60f, -0.1f, "velocity must be 0..1")]
    public void NoteOnOutOfRangeIsRejected(float note, float velocity, string expected)
    {
        (ControlRequest? r, string? error) = Parse(new OscMessage("/perpetuo/note/on", note, velocity), _model);
        Assert.Null(r);
        Assert.Contains(expected, error);
    }

    [Fact]
    public void NoteOffAndAllNotesOffAreSingleCommands()
    {
        Assert.Equal(new ControlCommand(CommandKind.NoteOff, "", "", 60, 0),
                     Assert.Single(Parse(new OscMessage("/perpetuo/note/off", 60), _model).Request!.Commands));
        Assert.Equal(CommandKind.AllNotesOff, Assert.Single(Parse(new OscMessage("/perpetuo/notes/off"), _model).Request!.Commands).Kind);
        Assert.Contains("missing argument 1 (note)", Parse(new OscMessage("/perpetuo/note/off"), _model).Error);
    }

    [Fact]
    public void ModuleAddBecomesAddModuleThenItsParams()
    {
        ControlRequest r = Parse(new OscMessage("/perpetuo/module/add", "osc", "bass", "freq", 55, "gain", 0.25f), _model).Request!;
        Assert.Equal(
            [
                new ControlCommand(CommandKind.AddModule, "bass", "osc", 0, 0),
                new ControlCommand(CommandKind.SetParam, "bass", "freq", 55, 0),
                new ControlCommand(CommandKind.SetParam, "bass", "gain", 0.25f, 0),
            ],
            r.Commands);
    }

    [Theory]
    [InlineData("noise", "n1", "unknown module type \"noise\"; known types: filter, osc")]
    [InlineData("osc", "lead", "a module with id \"lead\" already exists")]
    [InlineData("osc", "bad id", "may contain only letters")]
    [InlineData("osc", "", "module id must not be empty")]
    [InlineData("osc", "an-id-that-is-far-longer-than-forty-bytes-long", "longer than 40 bytes")]
    public void ModuleAddWithBadTypeOrIdIsRejected(string type, string id, string expected)
    {
        (ControlRequest? r, string? error) = Parse(new OscMessage("/perpetuo/module/add", type, id), _model);
        Assert.Null(r);
        Assert.Contains(expected, error);
    }

    [Fact]
    public void ModuleAddWithABadParameterRejectsTheWholeModule()
    {
        Assert.Contains("unknown parameter \"cutoff\" of module type \"osc\"",
                        Parse(new OscMessage("/perpetuo/module/add", "osc", "bass", "cutoff", 400f), _model).Error);
        Assert.Contains("out of range", Parse(new OscMessage("/perpetuo/module/add", "osc", "bass", "gain", 2f), _model).Error);
        Assert.Contains("missing argument 4 (value)", Parse(new OscMessage("/perpetuo/module/add", "osc", "bass", "gain"), _model).Error);
        Assert.Contains("argument 3 (parameter) must be a string", Parse(new OscMessage("/perpetuo/module/add", "osc", "bass", 1f, 2f), _model).Error);
    }

    [Fact]
    public void ModuleRemoveNeedsAnExistingId()
    {
        Assert.Equal(new ControlCommand(CommandKind.RemoveModule, "lead", "", 0, 0),
                     Assert.Single(Parse(new OscMessage("/perpetuo/module/remove", "lead"), _model).Request!.Commands));
        Assert.Contains("unknown module id \"ghost\"", Parse(new OscMessage("/perpetuo/module/remove", "ghost"), _model).Error);
    }

    [Fact]
    public void ModuleRestoreBecomesOneRestoreCommandForAModuleOfTheChain()
    {
        ControlRequest r = Parse(new OscMessage("/perpetuo/module/restore", "filter"), _model).Request!;
        Assert.Equal((RequestKind.Commands, "/perpetuo/module/restore"), (r.Kind, r.Address));
        Assert.Equal(new ControlCommand(CommandKind.Restore, "filter", "", 0, 0), Assert.Single(r.Commands));
    }

    [Fact]
    public void ModuleRestoreOfAnUnknownIdOrWithTheWrongArgumentsIsRejected()
    {
        Assert.Contains("unknown module id \"ghost\"", Parse(new OscMessage("/perpetuo/module/restore", "ghost"), _model).Error);
        string? extra = Parse(new OscMessage("/perpetuo/module/restore", "lead", "again"), _model).Error;
        Assert.Contains("too many arguments", extra);
        Assert.Contains("usage: /perpetuo/module/restore ,s id", extra);
        Assert.Contains("missing argument 1 (id)", Parse(new OscMessage("/perpetuo/module/restore"), _model).Error);
        Assert.Contains("argument 1 (id) must be a string", Parse(new OscMessage("/perpetuo/module/restore", 3), _model).Error);
    }

    [Fact]
    public void PatchLoadNamesAFileWithoutReadingIt()
    {
        ControlRequest r = Parse(new OscMessage("/perpetuo/patch/load", "pad.json"), _model).Request!;
        Assert.Equal((RequestKind.PatchLoad, "pad.json"), (r.Kind, r.PatchName));
        Assert.Empty(r.Commands);
    }

    [Theory]
    [InlineData("")]
    [InlineData("/etc/passwd")]
    [InlineData("/dev/zero")]
    [InlineData("../secret.json")]
    [InlineData("sub/pad.json")]
    [InlineData(".hidden.json")]
    [InlineData("pad.txt")]
    [InlineData(".json")]
    [InlineData("pad\n.json")]
    public void PatchLoadRefusesAnythingButAPlainJsonFileName(string name)
    {
        (ControlRequest? r, string? error) = Parse(new OscMessage("/perpetuo/patch/load", name), _model);
        Assert.Null(r);
        Assert.Contains("one plain name ending in .json", error);
    }

    [Fact]
    public void ModuleAddPastTheSnapshotsModuleCountIsRefused()
    {
        var full = new GraphModel(_model.Catalog);
        for (int i = 0; full.Modules.Count < Perpetuo.Protocol.Limits.MaxModules; i++)
        {
            ControlRequest ok = Parse(new OscMessage("/perpetuo/module/add", "osc", $"m{i}"), full).Request!;
            full.Apply(ok.Commands);
        }
        (ControlRequest? refused, string? error) = Parse(new OscMessage("/perpetuo/module/add", "osc", "one-more"), full);
        Assert.Null(refused);
        Assert.Contains($"already has {Perpetuo.Protocol.Limits.MaxModules} modules", error);
    }

    [Fact]
    public void StatusAndModulesAreQueriesWithoutCommands()
    {
        Assert.Equal(RequestKind.Status, Parse(new OscMessage("/perpetuo/status"), _model).Request!.Kind);
        ControlRequest modules = Parse(new OscMessage("/perpetuo/modules"), _model).Request!;
        Assert.Equal(RequestKind.Modules, modules.Kind);
        Assert.Empty(modules.Commands);
        Assert.False(modules.IsSubmission);
    }

    [Fact]
    public void FaultNamesSlotKindAndOptionalValues()
    {
        ControlRequest r = Parse(new OscMessage("/perpetuo/fault", 1, "stall", 30f, 5), _model).Request!;
        Assert.Equal((RequestKind.Fault, 1, FaultKind.Stall, 30f, 5f), (r.Kind, r.FaultSlot, r.Fault, r.FaultValue, r.FaultValue2));
        Assert.Empty(r.Commands);
        Assert.Equal(FaultKind.Crash, Parse(new OscMessage("/perpetuo/fault", 0, "crash"), _model).Request!.Fault);
        Assert.Contains("unknown fault \"melt\"", Parse(new OscMessage("/perpetuo/fault", 0, "melt"), _model).Error);
        Assert.Contains("slot must be a whole number", Parse(new OscMessage("/perpetuo/fault", -1, "crash"), _model).Error);
    }

    [Fact]
    public void UnknownAddressListsTheKnownOnes()
    {
        (ControlRequest? r, string? error) = Parse(new OscMessage("/perpetuo/volume", 1f), _model);
        Assert.Null(r);
        Assert.Contains("unknown address \"/perpetuo/volume\"", error);
        Assert.Contains("/perpetuo/param", error);
    }

    [Fact]
    public void ParsingNeverChangesTheModel()
    {
        string before = _model.ToJson();
        Parse(new OscMessage("/perpetuo/module/add", "osc", "bass"), _model);
        Parse(new OscMessage("/perpetuo/module/remove", "lead"), _model);
        Parse(new OscMessage("/perpetuo/param", "filter", "cutoff", 300f), _model);
        Assert.Equal(before, _model.ToJson());
    }
}
