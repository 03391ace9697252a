using Perpetuo.Control.Journal;
using Perpetuo.Supervisor.Callback;

namespace Perpetuo.Supervisor.Control;

// The journal file: every accepted command, and the one event that says when it stopped being complete.
public sealed partial class Engine
{
    private JournalWriter? _journal;
    private InputRecorder? _inputRecorder;
    private bool _inputLossReported;

    /// <summary>How long stopping waits for the journal's input file to be written out (a disk that holds writes up).</summary>
    private static readonly TimeSpan InputRecorderStopTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Writes the input stamped until now into the journal's input file and closes it. After the control thread stopped.</summary>
    private void StopInputRecorder()
    {
        if (_inputRecorder == null)
        {
            return;
        }
        _inputRecorder.Stop(Reader.Input?.Next ?? 0, InputRecorderStopTimeout);
        ReportInputLoss(); // this thread is the event log's writer now
        _inputRecorder = null;
    }

    /// <summary>The recorder's first lost block, as one event (logged as an error). Control thread, every tick.</summary>
    private void ReportInputLoss()
    {
        if (!_inputLossReported && _inputRecorder?.FirstLoss is { } why)
        {
            _inputLossReported = true;
            Events.Write("journal_input_lost", Reader.NextSeq, -1, ("error", why), ("meaning", JournalWriter.LossMeaning));
        }
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
            InputFanOut stamps = Reader.Input!;
            _inputRecorder.Start(() => stamps.Next); // its own thread: a slow disk never holds up the control thread
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
