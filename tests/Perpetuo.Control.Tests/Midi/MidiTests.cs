using Perpetuo.Control.Commands;
using Perpetuo.Control.Midi;
using Perpetuo.Control.Patches;
using Perpetuo.Protocol;

namespace Perpetuo.Control.Tests.Midi;

/// <summary>What MIDI messages ask of the engine, and the map file that says which controllers set which parameters.</summary>
public sealed class MidiTests
{
    private static readonly MidiMap Map = MidiMap.Parse(
        """{"cc":{"74":{"module":"filter","param":"cutoff","min":200,"max":8000},"1":{"module":"g","param":"gain"}},"bend":{"module":"filter","param":"resonance","min":0,"max":1}}""",
        "map.json");

    private static ControlCommand? Translate(byte status, byte d1, byte d2, MidiMap? map = null) =>
        MidiTranslator.TryTranslate(status, d1, d2, map ?? Map, out ControlCommand c) ? c : null;

    [Fact]
    public void NotesOnAnyChannelPlayAndAVelocityOfZeroReleases()
    {
        Assert.Equal(new ControlCommand(CommandKind.NoteOn, "", "", 60, 1f), Translate(0x90, 60, 127));
        Assert.Equal(new ControlCommand(CommandKind.NoteOn, "", "", 61, 64 / 127f), Translate(0x9F, 61, 64)); // channel 16
        Assert.Equal(new ControlCommand(CommandKind.NoteOff, "", "", 60, 0), Translate(0x90, 60, 0));
        Assert.Equal(new ControlCommand(CommandKind.NoteOff, "", "", 62, 0), Translate(0x83, 62, 40));
    }

    [Fact]
    public void ControllersSetTheirMappedParameterAndAllNotesOffNeedsNoMap()
    {
        Assert.Equal(ControlCommand.SetParam("filter", "cutoff", 200), Translate(0xB0, 74, 0));
        Assert.Equal(ControlCommand.SetParam("filter", "cutoff", 8000), Translate(0xB5, 74, 127));
        Assert.Equal(ControlCommand.SetParam("g", "gain", 1), Translate(0xB0, 1, 127)); // min 0, max 1 by default
        Assert.Equal(CommandKind.AllNotesOff, Translate(0xB0, 123, 0, MidiMap.Empty)!.Value.Kind);
        Assert.Equal(CommandKind.AllNotesOff, Translate(0xB0, 120, 0, MidiMap.Empty)!.Value.Kind);
        Assert.Null(Translate(0xB0, 7, 100));   // unmapped
        Assert.Null(Translate(0xB0, 74, 100, MidiMap.Empty));
    }

    [Fact]
    public void ThePitchBendSpreadsItsFourteenBitsOverTheMappedRange()
    {
        Assert.Equal(ControlCommand.SetParam("filter", "resonance", 0), Translate(0xE0, 0, 0));
        Assert.Equal(ControlCommand.SetParam("filter", "resonance", 1), Translate(0xE0, 0x7F, 0x7F));
        Assert.Null(Translate(0xE0, 0, 64, MidiMap.Empty));
    }

    [Fact]
    public void AftertouchProgramChangesAndSystemMessagesAskNothing()
    {
        Assert.Null(Translate(0xA0, 60, 10));
        Assert.Null(Translate(0xC0, 5, 0));
        Assert.Null(Translate(0xD0, 5, 0));
        Assert.Null(Translate(0xF8, 0, 0));
    }

    [Theory]
    [InlineData("""{"cc":{"128":{"module":"f","param":"p"}}}""", "not a controller number")]
    [InlineData("""{"cc":{"-1":{"module":"f","param":"p"}}}""", "not a controller number")]
    [InlineData("""{"cc":{"x":{"module":"f","param":"p"}}}""", "not a controller number")]
    [InlineData("""{"cc":{"123":{"module":"f","param":"p"}}}""", "all-notes-off")]
    [InlineData("""{"cc":{"7":{"param":"p"}}}""", "no \"module\"")]
    [InlineData("""{"cc":{"7":{"module":"f"}}}""", "no \"param\"")]
    [InlineData("""{"cc":{"7":{"module":"bad id!","param":"p"}}}""", "not a module id")]
    [InlineData("""{"cc":{"7":{"module":"f","param":"p","min":1e39}}}""", "finite")]
    [InlineData("""{"notes":{}}""", "not a MIDI map")]
    [InlineData("""[1,2]""", "not a MIDI map")]
    [InlineData("""null""", "not a MIDI map")]
    public void AWrongMapIsAnErrorThatSaysWhat(string json, string expected)
    {
        PatchException e = Assert.Throws<PatchException>(() => MidiMap.Parse(json, "map.json"));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.StartsWith("map.json: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMapFileIsReadLikeAPatchFileBoundedAndRegular()
    {
        string dir = Directory.CreateTempSubdirectory("perpetuo-midi-").FullName;
        try
        {
            string ok = Path.Combine(dir, "map.json");
            File.WriteAllText(ok, """{"cc":{"74":{"module":"filter","param":"cutoff","min":200,"max":8000}}}""");
            Assert.Equal(1, MidiMap.Load(ok).ControllerCount);
            PatchException e = Assert.Throws<PatchException>(() => MidiMap.Load(dir));
            Assert.Contains("cannot read the MIDI map", e.Message, StringComparison.Ordinal);
            string big = Path.Combine(dir, "big.json");
            File.WriteAllBytes(big, new byte[Limits.PatchFileBytes + 1]);
            Assert.Contains("larger than the limit", Assert.Throws<PatchException>(() => MidiMap.Load(big)).Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
