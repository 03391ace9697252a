using Perpetuo.Control.Journal;

namespace Perpetuo.Supervisor.Control;

// The journal file: every accepted command, and the one event that says when it stopped being complete.
public sealed partial class Engine
{
    private JournalWriter? _journal;
    private InputRecorder? _inputRecorder;

    /// <summary>Writes the input stamped until now into the journal's input file and closes it. After the control thread stopped.</summary>
    private void StopInputRecorder()
    {
        if (_inputRecorder == null)
        {
            return;
        }
        long stamped = Reader.Input?.Next ?? 0;
        long before;
        do
        {
            before = _inputRecorder.Next;
            _inputRecorder.Drain(stamped); // bounded per call; stops early only at a block not stamped, never loops on it
        }
        while (_inputRecorder.Next < stamped && _inputRecorder.Next > before);
        _inputRecorder.Dispose();
        _inputRecorder = null;
    }

    /// <summary>
    /// Journals the session (rate, channels, block, limiter, as this engine runs them) and every accepted command
    /// to <paramref name="journal"/>. Its first lost line becomes one
    /// <c>journal_write_failed</c> event (logged as an error) saying the journal can no longer replay the session;
    /// the count is in the status (<c>journal_lines_lost</c>). Call before the control thread starts.
    /// </summary>
    /// <param name="journal">The journal.</param>
    /// <param name="inputPath">Where the live input is recorded, beside the journal, when the engine has one (the
    /// session line names its file); ignored without a live input.</param>
    public void AttachJournal(JournalWriter journal, string? inputPath = null)
    {
        ArgumentNullException.ThrowIfNull(journal);
        string? inputName = null;
        if (_inputTape != null && inputPath != null)
        {
            _inputRecorder = new InputRecorder(inputPath, _inputTape, _options.SampleRate);
            _inputRecorder.Lost += why => Events.Write("journal_input_lost", Reader.NextSeq, -1, ("error", why), ("meaning", JournalWriter.LossMeaning));
            inputName = Path.GetFileName(inputPath);
        }
        journal.WriteSession(new JournalSession(_options.SampleRate, _options.Channels, _options.BlockFrames, _options.Limiter, inputName));
        _journal = journal;
        Journal = journal.Write;
        // Raised inside journal.Write, i.e. on the control thread: the event log is that thread's to write.
        journal.WriteFailed += e => Events.Write("journal_write_failed", Reader.NextSeq, -1,
                                                 ("error", e.Message), ("meaning", JournalWriter.LossMeaning));
    }
}
