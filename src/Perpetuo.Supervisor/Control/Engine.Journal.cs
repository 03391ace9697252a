using Perpetuo.Control.Journal;

namespace Perpetuo.Supervisor.Control;

// The journal file: every accepted command, and the one event that says when it stopped being complete.
public sealed partial class Engine
{
    private JournalWriter? _journal;

    /// <summary>
    /// Journals the session (rate, channels, block, limiter, as this engine runs them) and every accepted command
    /// to <paramref name="journal"/>. Its first lost line becomes one
    /// <c>journal_write_failed</c> event (logged as an error) saying the journal can no longer replay the session;
    /// the count is in the status (<c>journal_lines_lost</c>). Call before the control thread starts.
    /// </summary>
    public void AttachJournal(JournalWriter journal)
    {
        ArgumentNullException.ThrowIfNull(journal);
        journal.WriteSession(new JournalSession(_options.SampleRate, _options.Channels, _options.BlockFrames, _options.Limiter));
        _journal = journal;
        Journal = journal.Write;
        // Raised inside journal.Write, i.e. on the control thread: the event log is that thread's to write.
        journal.WriteFailed += e => Events.Write("journal_write_failed", Reader.NextSeq, -1,
                                                 ("error", e.Message), ("meaning", JournalWriter.LossMeaning));
    }
}
