using Perpetuo.Control.Journal;
using Perpetuo.Protocol;
using Perpetuo.Transport;

namespace Perpetuo.Supervisor.Control;

/// <summary>
/// A session's journal as the engine keeps it: the session line and every command the log takes in the journal
/// file (<see cref="JournalWriter"/>, one write per control tick), the live input in a WAV beside it
/// (<see cref="InputRecorder"/>, on a thread of its own: a slow disk never holds up the control thread), and for
/// each the one event that says when it stopped being complete — a journal that lost a line, or an input file that
/// lost a block, no longer replays the session.
/// </summary>
/// <remarks>
/// Events are written on the control thread only (the event log has one writer): a write failure is raised inside
/// <see cref="Flush"/>, and a loss the recorder's thread found is reported by the next <see cref="Flush"/>, or by
/// <see cref="Stop"/> once the control thread is gone. <c>SessionJournalTests</c>. Control thread only.
/// </remarks>
internal sealed class SessionJournal
{
    /// <summary>How long stopping waits for the input file to be written out (a disk that holds writes up).</summary>
    public static readonly TimeSpan InputStopTimeout = TimeSpan.FromSeconds(5);

    private readonly JournalWriter _writer;
    private readonly InputRecorder? _input;
    private readonly Func<long> _inputStamped;
    private readonly Func<long> _played;
    private readonly EventLog _events;
    private readonly Func<string, JournalPlugin?>? _identify;
    private readonly HashSet<string> _pluginsNamed = new(StringComparer.Ordinal);
    private bool _inputLossReported;
    private bool _stopped;

    /// <param name="writer">The journal file; its session line is written here, before any command.</param>
    /// <param name="session">What the session line says.</param>
    /// <param name="input">The recorder of the live input, not started yet; null without one.</param>
    /// <param name="inputStamped">The input block the callback stamps next (the recorder writes the blocks below it).</param>
    /// <param name="played">The output position, for the events.</param>
    /// <param name="events">The event stream.</param>
    /// <param name="identify">The plugin a command record's module type names (full or hashed), as a journal records it;
    /// null when the session can use no plugin.</param>
    /// <param name="patchTypes">The module types of the patch the session starts with.</param>
    public SessionJournal(JournalWriter writer, JournalHeader session, InputRecorder? input, Func<long> inputStamped,
                          Func<long> played, EventLog events, Func<string, JournalPlugin?>? identify = null,
                          IEnumerable<string>? patchTypes = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _writer = writer;
        _input = input;
        _inputStamped = inputStamped;
        _played = played;
        _events = events;
        _identify = identify;
        writer.WriteSession(session);
        foreach (string type in patchTypes ?? [])
        {
            NamePlugin(PluginTypes.ForRecord(type));
        }
        writer.WriteFailed += e => events.Write("journal_write_failed", played(), -1, ("error", e.Message),
                                                ("meaning", JournalWriter.LossMeaning));
        input?.Start(inputStamped);
    }

    /// <summary>Whether the live input is recorded and no block of it was lost: a worker may replay from any block.</summary>
    public bool InputRecordComplete => _input != null && _input.BlocksLost == 0;

    /// <summary>Journal lines a write error lost (any thread).</summary>
    public long LinesLost => _writer.LinesLost;

    /// <summary>
    /// Adds a command's line; it reaches the file at the next <see cref="Flush"/>. The first command that adds a
    /// plugin is preceded by the plugin's line (<see cref="JournalPlugin"/>).
    /// </summary>
    public void Write(CommandRecord r)
    {
        if (r.Kind == (int)CommandKind.AddModule && _identify != null && r.NameString is { } type && PluginTypes.IsPlugin(type))
        {
            NamePlugin(type); // a module add: rare, and it may allocate
        }
        _writer.Write(r);
    }

    private void NamePlugin(string recordName)
    {
        if (_identify != null && PluginTypes.IsPlugin(recordName) && _pluginsNamed.Add(recordName) && _identify(recordName) is { } plugin)
        {
            _writer.WritePlugin(plugin);
        }
    }

    /// <summary>One tick: the tick's lines in one write, and the input file's first lost block as one event.</summary>
    public void Flush()
    {
        _writer.Flush();
        ReportInputLoss();
    }

    /// <summary>
    /// After the control thread stopped: the input stamped until now written out (at most <see cref="InputStopTimeout"/>,
    /// then the rest is counted lost) and its file closed, a last loss reported. The journal file is its owner's to
    /// close (its last lines are written then).
    /// </summary>
    public void Stop()
    {
        if (_stopped)
        {
            return;
        }
        _stopped = true;
        _input?.Stop(_inputStamped(), InputStopTimeout);
        ReportInputLoss();
    }

    private void ReportInputLoss()
    {
        if (!_inputLossReported && _input?.FirstLoss is { } why)
        {
            _inputLossReported = true;
            _events.Write("journal_input_lost", _played(), -1, ("error", why), ("meaning", JournalWriter.LossMeaning));
        }
    }
}
