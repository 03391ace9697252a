using Perpetuo.Control.Journal;
using Perpetuo.Protocol;

namespace Perpetuo.Control.Tests.Journal;

/// <summary>Reading a journal: commands in block order, except a quarantine line, which is written late and sorted into place.</summary>
public sealed class JournalFileTests : IDisposable
{
    private readonly string _path = Path.GetTempFileName();

    private static string Line(long block, string kind, string id = "", string name = "", float value = 0, int frame = 0) =>
        $$"""{"block":{{block}},"frame":{{frame}},"kind":"{{kind}}","id":"{{id}}","name":"{{name}}","value":{{value}},"value2":0}""";

    private void Write(params string[] lines) => File.WriteAllLines(_path, lines);

    [Fact]
    public void AQuarantineLineWrittenAfterLaterBlocksIsSortedIntoItsPlace()
    {
        Write(
            Line(10, "param", "f", "cutoff", 1),
            Line(11, "param", "f", "cutoff", 2),
            Line(12, "param", "f", "cutoff", 3),
            Line(12, "note_on", value: 60),
            Line(11, "quarantine", "verb", "crash"), // learned of two blocks late
            Line(13, "param", "f", "cutoff", 4));

        IReadOnlyList<JournalEntry> entries = JournalFile.Read(_path);

        Assert.Equal(
            [(10L, CommandKind.SetParam), (11, CommandKind.SetParam), (11, CommandKind.Quarantine),
             (12, CommandKind.SetParam), (12, CommandKind.NoteOn), (13, CommandKind.SetParam)],
            entries.Select(e => (e.Block, e.Kind)));
        Assert.Equal(("verb", "crash"), (entries[2].Id, entries[2].Name));
    }

    [Fact]
    public void QuarantineLinesOfOneBlockKeepTheirOrder()
    {
        Write(
            Line(20, "param", "f", "cutoff", 1),
            Line(15, "quarantine", "a", "crash"),
            Line(15, "quarantine", "b", "hang"),
            Line(14, "quarantine", "c", "crash"));

        Assert.Equal(["c", "a", "b", "f"], JournalFile.Read(_path).Select(e => e.Id));
    }

    [Fact]
    public void ARestoreLineReadsAsARestore()
    {
        Write(Line(7, "module_restore", "verb"));

        JournalEntry e = Assert.Single(JournalFile.Read(_path));
        Assert.Equal((7L, CommandKind.Restore, "verb"), (e.Block, e.Kind, e.Id));
        Assert.Equal("module_restore", JournalFile.KindName(CommandKind.Restore));
        Assert.Equal("quarantine", JournalFile.KindName(CommandKind.Quarantine));
    }

    [Theory]
    [InlineData("param")]
    [InlineData("module_restore")]
    [InlineData("module_add")]
    public void AnyOtherLineOutOfBlockOrderIsAnError(string kind)
    {
        Write(Line(12, "param", "f", "cutoff", 1), Line(11, kind, "f", "osc"));

        InvalidDataException e = Assert.Throws<InvalidDataException>(() => JournalFile.Load(_path));
        Assert.Contains("not in block order at entry 2", e.Message);
    }

    [Fact]
    public void ALineOutOfOrderAfterALateQuarantineLineIsStillAnError()
    {
        // The quarantine at 5 is allowed to be late; the param at 11 after the one at 12 is not, whatever stands between.
        Write(
            Line(12, "param", "f", "cutoff", 1),
            Line(5, "quarantine", "verb", "crash"),
            Line(11, "param", "f", "cutoff", 2));

        InvalidDataException e = Assert.Throws<InvalidDataException>(() => JournalFile.Load(_path));
        Assert.Contains("not in block order at entry 3", e.Message);
    }

    public void Dispose() => File.Delete(_path);
}
