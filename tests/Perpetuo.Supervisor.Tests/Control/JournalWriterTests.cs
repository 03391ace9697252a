using Perpetuo.Control.Journal;
using Perpetuo.Supervisor.Control;
using Perpetuo.Transport;
using Perpetuo.Protocol;

namespace Perpetuo.Supervisor.Tests.Control;

[Collection(AllocationCollection.Name)]
public sealed class JournalWriterTests : IDisposable
{
    private readonly string _path = Path.GetTempFileName();

    [Fact]
    public void EveryRecordReadsBackWithItsStampKindIdNameAndValues()
    {
        CommandRecord[] records =
        [
            CommandRecord.Create((int)CommandKind.SetParam, 120, 17, "filter", "cutoff", 812.5f, 0.25f),
            CommandRecord.Create((int)CommandKind.NoteOn, 120, 200, value: 64, value2: 0.75f),
            CommandRecord.Create((int)CommandKind.AddModule, 121, 0, "lead.2", "osc"),
            CommandRecord.Create((int)CommandKind.RemoveModule, 400, 0, "lead.2"),
        ];
        using (var journal = new JournalWriter(_path))
        {
            foreach (CommandRecord r in records)
            {
                journal.Write(r);
            }
            Assert.Equal(0, journal.Count); // nothing reaches the file before the tick's flush
            journal.Flush();
            Assert.Equal(4, journal.Count);
        }
        IReadOnlyList<JournalEntry> back = JournalFile.Read(_path);
        Assert.Equal(records.Length, back.Count);
        for (int i = 0; i < records.Length; i++)
        {
            Assert.Equal(records[i].ApplyBlock, back[i].Block);
            Assert.Equal(records[i].FrameOffset, back[i].Frame);
            Assert.Equal(records[i].Kind, (int)back[i].Kind);
            Assert.Equal(records[i].IdString, back[i].Id);
            Assert.Equal(records[i].NameString, back[i].Name);
            Assert.Equal(records[i].Value, back[i].Value);
            Assert.Equal(records[i].Value2, back[i].Value2);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TheSessionLineReadsBackWithItsFormatAndLimiterAndTheCommandsAfterIt(bool limiter)
    {
        var session = new JournalHeader(44100, 6, 512, limiter);
        using (var journal = new JournalWriter(_path))
        {
            journal.WriteSession(session);
            journal.Write(CommandRecord.Create((int)CommandKind.SetParam, 3, 5, "filter", "cutoff", 800));
            journal.Flush();
            Assert.Equal(2, journal.Count);
            Assert.Throws<InvalidOperationException>(() => journal.WriteSession(session)); // once, before any command
        }
        JournalContents back = JournalFile.Load(_path);
        Assert.Equal(session, back.Session);
        JournalEntry e = Assert.Single(back.Entries);
        Assert.Equal((3L, 5, "cutoff"), (e.Block, e.Frame, e.Name));
        Assert.StartsWith("{\"kind\":\"session\",", File.ReadAllText(_path), StringComparison.Ordinal);
    }

    [Fact]
    public void ASessionWithLiveInputNamesItsInputFileAndAJournalNamingAPathIsRefused()
    {
        var session = new JournalHeader(48000, 2, 64, true, "take.input.wav");
        using (var journal = new JournalWriter(_path))
        {
            journal.WriteSession(session);
        }
        Assert.Equal(session, JournalFile.Load(_path).Session);

        foreach (string bad in new[] { "../secret.wav", "/etc/passwd", "", "..", "a/b.wav" })
        {
            File.WriteAllText(_path, $"{{\"kind\":\"session\",\"rate\":48000,\"channels\":2,\"block\":256,\"limiter\":true,\"input\":\"{bad}\"}}\n");
            InvalidDataException e = Assert.Throws<InvalidDataException>(() => JournalFile.Load(_path));
            Assert.Contains("file name in the journal's directory", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void TheSessionLineHoldsThePatchsContentOnOneLineAndPluginLinesReadBackInOrder()
    {
        const string patch = "{\n  \"modules\": [\n    {\"type\": \"osc\", \"id\": \"o\", \"params\": {\"freq\": 220}}\n  ]\n}";
        var plate = new JournalPlugin("http://plugin.org.uk/swh-plugins/plate", "0.4", "ab12");
        var delay = new JournalPlugin("http://plugin.org.uk/swh-plugins/delay_l", "", "-");
        using (var journal = new JournalWriter(_path))
        {
            journal.WriteSession(new JournalHeader(48000, 2, 256, true, Patch: patch));
            journal.WritePlugin(plate);
            journal.Write(CommandRecord.Create((int)CommandKind.SetParam, 3, 5, "o", "freq", 440));
            journal.WritePlugin(delay);
            journal.Flush();
        }
        string[] lines = File.ReadAllLines(_path);
        Assert.Equal(4, lines.Length); // the patch's own line breaks are not the journal's
        JournalContents back = JournalFile.Load(_path);
        Assert.Equal([plate, delay], back.Plugins);
        Assert.Single(back.Entries);
        using var written = System.Text.Json.JsonDocument.Parse(back.Session!.Patch!);
        Assert.Equal(220, written.RootElement.GetProperty("modules")[0].GetProperty("params").GetProperty("freq").GetInt32());

        File.WriteAllText(_path, "{\"kind\":\"session\",\"rate\":48000,\"channels\":2,\"block\":256,\"limiter\":true,\"patch\":\"fx.json\"}\n");
        InvalidDataException path = Assert.Throws<InvalidDataException>(() => JournalFile.Load(_path));
        Assert.Contains("session patch must be an object", path.Message, StringComparison.Ordinal); // content, never a path
        File.WriteAllText(_path, "{\"kind\":\"plugin\",\"uri\":\"\",\"version\":\"\",\"library\":\"\"}\n");
        Assert.Throws<InvalidDataException>(() => JournalFile.Load(_path));
    }

    [Fact]
    public void AJournalWithoutASessionLineStillReadsWithNoSession()
    {
        File.WriteAllText(_path, "{\"block\":1,\"frame\":0,\"kind\":\"param\",\"id\":\"filter\",\"name\":\"cutoff\",\"value\":500,\"value2\":0}\n");
        JournalContents back = JournalFile.Load(_path);
        Assert.Null(back.Session); // render: the limiter on, the format from its options
        Assert.Single(back.Entries);
    }

    [Fact]
    public void TheSessionLineIsNotHeldToBlockOrderButASecondOneIsRefused()
    {
        const string session = "{\"kind\":\"session\",\"rate\":48000,\"channels\":2,\"block\":256,\"limiter\":false}\n";
        const string command = "{\"block\":9,\"frame\":0,\"kind\":\"note_on\",\"id\":\"\",\"name\":\"\",\"value\":60,\"value2\":1}\n";
        File.WriteAllText(_path, command + session + command);
        Assert.False(JournalFile.Load(_path).Session!.Limiter);
        File.WriteAllText(_path, session + command + session);
        InvalidDataException twice = Assert.Throws<InvalidDataException>(() => JournalFile.Load(_path));
        Assert.Contains(":3: not a journal entry: a second session line", twice.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WritingALineAllocatesNothingOnceWarm()
    {
        using var journal = new JournalWriter(_path);
        CommandRecord r = CommandRecord.Create((int)CommandKind.SetParam, 1, 0, "filter", "cutoff", 500);
        for (int i = 0; i < 100; i++)
        {
            journal.Write(r);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        journal.Flush();
        for (int i = 0; i < 2000; i++)
        {
            r.ApplyBlock = i;
            journal.Write(r);
            if (i % 100 == 99)
            {
                journal.Flush(); // as the engine does once per tick
            }
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void OnAFullDiskEveryLineIsCountedLostTheFailureIsReportedOnceAndWritingGoesOn()
    {
        using var journal = new JournalWriter("/dev/full");
        var failures = new List<IOException>();
        journal.WriteFailed += failures.Add;
        CommandRecord r = CommandRecord.Create((int)CommandKind.SetParam, 1, 0, "filter", "cutoff", 500);
        for (int i = 0; i < 50; i++)
        {
            journal.Write(r);
            journal.Write(r);
            journal.Flush();
        }
        Assert.Equal(100, journal.LinesLost);
        Assert.Equal(0, journal.Count);
        Assert.Single(failures);
        Assert.Contains("render --journal", JournalWriter.LossMeaning, StringComparison.Ordinal);
    }

    public void Dispose() => File.Delete(_path);
}
