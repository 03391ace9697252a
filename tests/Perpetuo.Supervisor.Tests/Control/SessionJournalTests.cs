using Perpetuo.Control.Journal;
using Perpetuo.Protocol;
using Perpetuo.Supervisor.Control;
using Perpetuo.Transport;

namespace Perpetuo.Supervisor.Tests.Control;

/// <summary>
/// The session's journal and its input file: each loss is one event, stamped with the output position, written by
/// the thread that owns the event log (a tick, or the stop) and never again.
/// </summary>
public sealed class SessionJournalTests : IDisposable
{
    private readonly RegionLayout _layout = new(64, 2, 48000, 4, liveInput: true);
    private readonly string _dir = Directory.CreateTempSubdirectory("perpetuo-journal-").FullName;
    private readonly EventLog _events = new(null);
    private readonly List<EventLine> _lines = [];
    private readonly JournalHeader _session = new(48000, 2, 64, Limiter: true, Input: "j.input.wav");
    private long _played = 7;

    public SessionJournalTests() => _events.Written += _lines.Add;

    public void Dispose()
    {
        _events.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private List<EventLine> Events(string kind) => _lines.Where(l => l.Kind == kind).ToList();

    /// <summary>A tape whose first two blocks were overwritten before anything read them (a control thread stalled a tape long).</summary>
    private (InputTape Tape, long Stamped) OverwrittenTape()
    {
        var tape = new InputTape(_layout);
        var writer = new InputRingWriter(tape);
        long blocks = _layout.InputCapacity + 2;
        for (long seq = 0; seq < blocks; seq++)
        {
            writer.TryWrite(seq, new float[_layout.BlockSamples]);
        }
        return (tape, blocks);
    }

    [Fact]
    public void EachPluginTheSessionPlaysIsNamedOnceBeforeTheFirstCommandThatAddsIt()
    {
        const string plate = "lv2:http://plugin.org.uk/swh-plugins/plate";
        const string bandpass = "lv2:http://plugin.org.uk/swh-plugins/bandpass_iir"; // longer than a record's name: hashed
        var asked = new List<string>();
        JournalPlugin? Identify(string recordName)
        {
            asked.Add(recordName);
            return new JournalPlugin(recordName, "1.0", "cafe");
        }
        string path = Path.Combine(_dir, "j.jsonl");
        using (var writer = new JournalWriter(path))
        {
            var journal = new SessionJournal(writer, _session with { Input = null }, null, () => 0, () => _played, _events, Identify,
                                             ["osc", plate]);
            journal.Write(CommandRecord.Create((int)CommandKind.AddModule, 10, 0, "bp", PluginTypes.ForRecord(bandpass)));
            journal.Write(CommandRecord.Create((int)CommandKind.AddModule, 11, 0, "bp2", PluginTypes.ForRecord(bandpass)));
            journal.Write(CommandRecord.Create((int)CommandKind.AddModule, 12, 0, "o2", "osc"));
            journal.Flush();
        }
        Assert.Equal([plate, PluginTypes.ForRecord(bandpass)], asked);
        string[] lines = File.ReadAllLines(path);
        Assert.Equal(["session", "plugin", "plugin", "module_add", "module_add", "module_add"],
                     lines.Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("kind").GetString()));
    }

    [Fact]
    public void TheSessionLineComesFirstAndEachTicksCommandsReachTheFileOnTheTick()
    {
        string path = Path.Combine(_dir, "j.jsonl");
        using (var writer = new JournalWriter(path))
        {
            var journal = new SessionJournal(writer, _session, null, () => 0, () => _played, _events);
            journal.Write(CommandRecord.Create((int)CommandKind.SetParam, 40, 3, "g", "gain", value: 0.5f));
            Assert.Empty(File.ReadAllLines(path)); // nothing written before the tick
            journal.Flush();
            string[] lines = File.ReadAllLines(path);
            Assert.Equal(2, lines.Length);
            Assert.Contains("\"session\"", lines[0], StringComparison.Ordinal);
            Assert.Contains("\"j.input.wav\"", lines[0], StringComparison.Ordinal);
            Assert.Contains("\"block\":40", lines[1], StringComparison.Ordinal);
            journal.Stop(); // without a live input: nothing to stop, and no event
        }
        Assert.Empty(_lines);
    }

    [Fact]
    public void AJournalThatCannotBeWrittenIsOneEventHoweverManyLinesAreLost()
    {
        using var writer = new JournalWriter("/dev/full");
        var journal = new SessionJournal(writer, _session, null, () => 0, () => _played, _events);
        for (int tick = 0; tick < 3; tick++)
        {
            journal.Write(CommandRecord.Create((int)CommandKind.SetParam, 40 + tick, 0, "g", "gain"));
            journal.Flush();
            _played++;
        }
        EventLine e = Assert.Single(Events("journal_write_failed"));
        Assert.Equal(7, e.Seq); // the first tick's output position
        Assert.Equal(4, journal.LinesLost); // the session line and three commands
    }

    [Fact]
    public void AnInputFileThatLostABlockIsOneEventAtTheNextTickAndNeverAgain()
    {
        (InputTape tape, long stamped) = OverwrittenTape();
        var input = new InputRecorder(Path.Combine(_dir, "j.input.wav"), tape, 48000);
        using var writer = new JournalWriter(Path.Combine(_dir, "j.jsonl"));
        var journal = new SessionJournal(writer, _session, input, () => stamped, () => _played, _events); // starts the recorder's thread
        Assert.True(SpinWait.SpinUntil(() => input.FirstLoss != null, TimeSpan.FromSeconds(10)), "the recorder's thread never drained");
        Assert.Empty(Events("journal_input_lost")); // found on the recorder's thread: not written there

        journal.Flush();
        journal.Flush();
        journal.Stop();
        journal.Stop();

        EventLine e = Assert.Single(Events("journal_input_lost"));
        Assert.Equal(7, e.Seq);
        Assert.Contains("overwritten", e.Json, StringComparison.Ordinal);
        Assert.Equal(2, input.BlocksLost);
    }

    [Fact]
    public void ALossNoTickReportedIsReportedByTheStop()
    {
        (InputTape tape, long blocks) = OverwrittenTape();
        var input = new InputRecorder(Path.Combine(_dir, "j.input.wav"), tape, 48000);
        using var writer = new JournalWriter(Path.Combine(_dir, "j.jsonl"));
        long stamped = 0; // nothing stamped while the ticks run: no tick can report the loss the stop then finds
        var journal = new SessionJournal(writer, _session, input, () => Volatile.Read(ref stamped), () => _played, _events);
        journal.Flush();
        Assert.Empty(Events("journal_input_lost"));

        Volatile.Write(ref stamped, blocks);
        journal.Stop();
        Assert.Single(Events("journal_input_lost"));
        Assert.Equal(blocks, input.Next);
    }
}
