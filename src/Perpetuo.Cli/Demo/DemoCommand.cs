using System.CommandLine;
using Perpetuo.Audio;
using Perpetuo.Control.Commands;
using Perpetuo.Control.Journal;
using Perpetuo.Control.Patches;
using Perpetuo.Supervisor.Control;
using Perpetuo.Transport;

namespace Perpetuo.Cli.Demo;

/// <summary>
/// `demo`: plays the default patch through the auto output, records exactly what the callback produced, changes
/// parameters and plays notes, kills and hangs the active worker, then compares the recording with the
/// in-process render of the journal and draws the failovers.
/// </summary>
internal static class DemoCommand
{
    private const string Description = """
        see it: play, crash and hang the workers, prove the audio is identical to the reference

        Plays the built-in patch for about 15 s through your sound output (JACK if a server runs, else PortAudio's
        default device, else silently), and meanwhile: sends parameter changes and notes, kills the worker being
        heard with SIGKILL three times and freezes it with SIGSTOP once. It records what the audio callback played
        to --out, renders the same patch and commands in-process (the reference), and prints a verdict: failovers,
        respawns, hangs, underruns, and whether the recording is identical to the reference, sample for sample.
        --report draws each failover: played and reference waveforms around the switch.
        Exit status 0 only for a perfect run (0 underruns, 0 differing samples, at least 3 failovers).

        Example:
          perpetuo demo
          perpetuo demo --seconds 30 --output null --out run.wav --report run.png
        """;

    private const int RecordingCapacityBlocks = 1024;

    // A demo must hold on a busy two-core laptop as well as on a quiet one: 12 blocks of lead (64 ms at 256/48k;
    // `play` uses 3) ride out a respawning worker's start-up competing for the CPU with its survivor (8 still
    // underran here with other builds running), and a hang limit of 8 block periods keeps a worker that the
    // scheduler merely paused from being taken for a hung one. Not more: when the lead is longer than a respawn
    // takes (~90 ms here), the new worker publishes its snapshot block before the callback has played up to it,
    // the callback finds a stale slot below it, latches the new worker as faulty and the engine replaces it again
    // (inaudible, but a restart loop). Neither changes what is proved: a failover is still decided inside one
    // callback, from the data alone.
    private const int RingDepth = 12;
    private const double HangTimeoutBlocks = 8;

    /// <summary>The shortest demo: its script kills and hangs workers at fixed times in the first 4 s.</summary>
    private const double MinSeconds = 4;

    private static readonly Option<double?> SecondsOption = CliOptions.Seconds($"seconds to play (default 15, at least {MinSeconds}: the script needs them)");
    private static readonly Option<string> OutputOption = CliOptions.Output("where the audio goes: auto picks JACK, else PortAudio, else null");
    private static readonly Option<string> OutOption = CliOptions.Text("--out", "FILE.wav", "demo.wav", "the recording of what the callback played (and FILE.journal.jsonl)");
    private static readonly Option<string> ReportOption = CliOptions.Text("--report", "FILE.png", "demo.png", "the picture of each failover");

    /// <summary>The `demo` verb: its options, help and action.</summary>
    public static System.CommandLine.Command Create()
    {
        // The shared --seconds (a positive number, the same maximum everywhere) plus the demo's own floor.
        SecondsOption.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double?>() is double s && s < MinSeconds)
            {
                r.AddError($"--seconds must be at least {MinSeconds} for the demo's script, got {s}");
            }
        });
        var command = new System.CommandLine.Command("demo", Description) { SecondsOption, OutputOption, OutOption, ReportOption };
        command.SetAction(Run);
        return command;
    }

    private static int Run(System.CommandLine.ParseResult a)
    {
        double seconds = a.GetValue(SecondsOption) ?? 15;
        string outputSpec = a.GetValue(OutputOption)!;
        string wavPath = a.GetValue(OutOption)!;
        string reportPath = a.GetValue(ReportOption)!;
        OutputFactory.CheckPath("demo", outputSpec);
        PathChecks.Output("demo", "--out", wavPath);
        PathChecks.Output("demo", "--report", reportPath);
        string journalPath = Path.ChangeExtension(wavPath, ".journal.jsonl");
        PathChecks.Output("demo", "--out (its journal)", journalPath);
        PatchSpec patch = DspBridge.DefaultPatch;
        LibC.TrySetNice(-10); // the audio process first (when privileged), as play does
        Action<string> say = line => Console.WriteLine(line);

        using IAudioOutput output = OutputFactory.Create(outputSpec, new AudioFormat(48000, 2, 256), 0, "perpetuo-demo", true, out string chosen);
        AudioFormat format = output.Format;
        var clock = new DemoClock(format.SampleRate, format.BlockFrames);
        say(chosen);
        say($"perpetuo demo: {seconds:0.#} s of the built-in patch; two worker processes render it in lockstep, the audio callback plays one.");
        say("");

        var narrator = new DemoNarrator(clock, say);
        var control = new DemoControl(GraphModel.FromPatch(patch, DspBridge.Catalog));
        DemoRun run;
        // The journal's using ends before Judge: the reference is rendered from the file as `render` would read it.
        using (var events = new EventLog(null))
        using (var journal = new JournalWriter(journalPath))
        {
            run = Play(output, format, clock, patch, events, journal, narrator, control, seconds, wavPath, say);
        }
        return Judge(run, output.Name, patch, format, clock, narrator, control, wavPath, journalPath, reportPath);
    }

    private static DemoRun Play(IAudioOutput output, AudioFormat format, DemoClock clock, PatchSpec patch,
                                EventLog events, JournalWriter journal, DemoNarrator narrator, DemoControl control,
                                double seconds, string wavPath, Action<string> say)
    {
        var options = new EngineOptions
        {
            SampleRate = format.SampleRate,
            Channels = format.Channels,
            BlockFrames = format.BlockFrames,
            RingDepth = RingDepth,
            HangTimeoutBlocks = HangTimeoutBlocks,
            PatchJson = PatchFile.ToJson(patch),
            Launch = WorkerLaunchFactory.ForThisProcess(new WorkerSettings(Realtime: output.AudioThreadMayBeRealtime)),
            Realtime = output.AudioThreadMayBeRealtime,
        };
        using var engine = new Engine(options, events);
        engine.AttachJournal(journal);
        engine.Endpoint = control;
        events.Written += e => narrator.OnEvent(e.Json);
        engine.StartWorkers(TimeSpan.FromSeconds(30));
        engine.StartControlThread();
        say($"{clock.At(0)}  playing: slot 0 worker {engine.WorkerPid(0)} is heard, slot 1 worker {engine.WorkerPid(1)} is the standby");
        void Pump()
        {
            narrator.Pump();
            control.Pump((text, stamp, error) => say(error == null
                ? $"{clock.At(stamp)}  send {text}  -> accepted, stamped block {stamp}: applied there by both workers (journaled)"
                : $"{clock.At(engine.Reader.NextSeq)}  send {text}  -> refused: {error}"));
        }
        var runner = new DemoRunner(engine, control, clock, say, Pump);
        RecordingSource recorder = WavRecording.Start(engine.Reader, format, wavPath, RecordingCapacityBlocks, out WavWriter wav);
        try
        {
            output.Start(recorder);
            runner.Run(DemoStep.DefaultScript, clock.BlockAt(seconds));
            output.Stop();
            recorder.Complete();
        }
        finally
        {
            output.Stop();
            recorder.Dispose();
            wav.Dispose();
        }
        Thread.Sleep(50); // let the control thread turn the last callback events into lines
        Pump();
        foreach (int pid in runner.Stopped.Where(_ => narrator.Count("hung") == 0))
        {
            LibC.Kill(pid, LibC.SIGCONT); // the supervisor never noticed: leave nothing frozen behind
        }
        EngineStatus s = engine.Status();
        return new DemoRun(recorder.Blocks * format.BlockFrames, s.Failovers, s.Underruns, s.Divergences,
                           recorder.DroppedBlocks, runner.Kills, runner.Hangs);
    }

    private static int Judge(DemoRun run, string outputName, PatchSpec patch, AudioFormat format, DemoClock clock,
                             DemoNarrator narrator, DemoControl control, string wavPath, string journalPath, string reportPath)
    {
        IReadOnlyList<JournalEntry> journal = JournalFile.Read(journalPath);
        string referencePath = Path.Combine(Path.GetTempPath(), $"perpetuo-demo-ref-{Environment.ProcessId}.wav");
        WavFile played;
        WavFile reference;
        try
        {
            RenderCommand.Render(patch, journal, format.SampleRate, format.Channels, format.BlockFrames, run.Frames, referencePath, progress: false);
            played = WavFile.Read(wavPath);
            reference = WavFile.Read(referencePath);
        }
        finally
        {
            File.Delete(referencePath);
        }
        long differing = DemoVerdict.CountDiffering(played.Samples, reference.Samples, format.Channels, out long first);
        var verdict = new DemoVerdict
        {
            Frames = played.Frames,
            SampleRate = format.SampleRate,
            OutputName = outputName,
            Failovers = run.Failovers,
            Kills = run.Kills,
            HangsInjected = run.Hangs,
            Respawns = narrator.Count("respawned"),
            HangsDetected = narrator.Count("hung"),
            Underruns = run.Underruns,
            Divergences = run.Divergences,
            CommandsAccepted = control.Accepted,
            CommandsRefused = control.Rejected,
            DroppedBlocks = run.DroppedBlocks,
            ReferenceFrames = reference.Frames,
            DifferingFrames = differing,
            FirstDifferingFrame = first,
        };
        Console.WriteLine(verdict.Describe(wavPath, journalPath));
        string headline = $"perpetuo demo: {verdict.Failovers} failovers, {verdict.Respawns} respawns, {verdict.HangsDetected} hang(s), " +
                          $"{verdict.Underruns} underruns — " + (differing == 0 ? "identical to the reference" : $"{differing} frames differ");
        DemoReport.Write(reportPath, played.Samples, reference.Samples, format.Channels, clock, narrator.Failovers, headline, Path.GetFileName(wavPath));
        Console.WriteLine($"  report            {reportPath} (each failover: played vs reference around the switch)");
        Console.WriteLine($"  check it yourself perpetuo render --journal {journalPath} --seconds {((double)played.Frames / format.SampleRate).ToString("R", System.Globalization.CultureInfo.InvariantCulture)} --out ref.wav && cmp {wavPath} ref.wav");
        return verdict.Perfect ? 0 : 1;
    }

    private readonly record struct DemoRun(long Frames, long Failovers, long Underruns, long Divergences, long DroppedBlocks, int Kills, int Hangs);
}
