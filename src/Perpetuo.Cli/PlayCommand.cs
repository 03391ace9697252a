using System.CommandLine;
using Microsoft.Extensions.Logging;
using Perpetuo.Audio;
using Perpetuo.Control.Catalog;
using Perpetuo.Control.Patches;
using Perpetuo.Control.Commands;
using Perpetuo.Control.Journal;
using Perpetuo.Control.Midi;
using Perpetuo.Supervisor.Control;
using Perpetuo.Supervisor.Osc;

namespace Perpetuo.Cli;

/// <summary>`play`: the engine. Workers render, the supervisor's callback plays, the control thread supervises.</summary>
internal static class PlayCommand
{
    private const string Description = """
        play a patch through a hot-standby pair of DSP worker processes

        Plays the patch (default: the built-in patch) through a hot-standby pair of worker processes. A worker
        that crashes, hangs or misbehaves is replaced without a gap: the other worker's identical block plays.
        Without --seconds it plays until Ctrl+C (or SIGTERM).

        Examples:
          perpetuo play --seconds 10
          perpetuo play --output wav:out.wav --seconds 5 --events events.jsonl
          perpetuo play --journal session.jsonl --osc 127.0.0.1:57130   (then: perpetuo send /perpetuo/param filter cutoff 400)
        """;

    private static readonly Option<string?> PatchOption = CliOptions.Text("--patch", "FILE", "the patch file (default: the built-in patch)");
    private static readonly Option<string> OutputOption = CliOptions.Output("where the audio goes: auto picks JACK, else PortAudio, else null");
    private static readonly Option<double?> SecondsOption = CliOptions.Seconds("stop after N seconds of audio (default: play until Ctrl+C)");
    private static readonly Option<int> RateOption = CliOptions.Int("--rate", 48000, 8000, 192000, "sample rate in Hz");
    private static readonly Option<int> BlockOption = CliOptions.Int("--block", 256, 16, 8192, "frames per block");
    private static readonly Option<int> ChannelsOption = CliOptions.Int("--channels", 2, 1, 64, "output channels");
    private static readonly Option<int> DepthOption = CliOptions.Int("--ring-depth", 3, 1, 256, "blocks each worker may render ahead");
    private static readonly Option<int> SlotsOption = CliOptions.Int("--slots", EngineOptions.DefaultSlots, 1, Perpetuo.Supervisor.Callback.BlockReader.MaxSlots, "worker processes (3: two leaders and a trailing replica; 2: a hot-standby pair)");
    private static readonly Option<string?> EventsOption = CliOptions.Text("--events", "FILE", "write the engine's events as JSON lines");
    private static readonly Option<string?> JournalOption = CliOptions.Text("--journal", "FILE", "write every accepted command with its stamp (replay with render --journal)");
    private static readonly Option<string?> InputOption = CliOptions.Text("--input", "wav:FILE",
        "play a WAV file (16-bit or float, the engine's rate, its channels or mono) as the live input that `input` modules mix in, paced with the output; with --journal it is journaled beside it (FILE.input.wav)");
    private static readonly Option<int> InputsOption = CliOptions.Int("--inputs", 0, 0, 64,
        "the sound device's inputs as the live input: JACK ports perpetuo:in_1..in_N (connected from system:capture_N unless --no-connect), or a PortAudio duplex stream; one input feeds every channel, else input N feeds channel N");
    private static readonly Option<bool> MidiOption = CliOptions.Flag("--midi",
        "a JACK MIDI input port, perpetuo:midi_in: notes play the synths (sample accurate, journaled like OSC commands); controllers set parameters through --midi-map");
    private static readonly Option<string?> MidiMapOption = CliOptions.Text("--midi-map", "FILE",
        "which MIDI controllers (and the pitch bend) set which parameters: {\"cc\":{\"74\":{\"module\":\"filter\",\"param\":\"cutoff\",\"min\":200,\"max\":8000}}} (docs/protocol.md)");
    private static readonly Option<bool> FaultsOption = CliOptions.Flag("--allow-fault-injection", "accept /perpetuo/fault over OSC and the test-only fault module (tests and demos)");
    private static readonly Option<double> HangOption = CliOptions.Double("--hang-timeout", 2, 0.5, 10_000, "block periods without a heartbeat before a worker counts as hung");
    private static readonly Option<string> WaitOption = CliOptions.Wait();
    private static readonly Option<string> JackNameOption = CliOptions.Text("--jack-name", "NAME", "perpetuo", "the JACK client name");
    private static readonly Option<bool> NoConnectOption = CliOptions.Flag("--no-connect", "do not connect the JACK ports to the system playback ports");
    private static readonly Option<bool> PluginsOption = CliOptions.Flag("--plugins", "read the list of installed LV2 plugins at start (about a second), so that they can be added over OSC (each is checked when first named); a --patch that names one reads it anyway");
    private static readonly Option<bool> KeepAwakeOption = CliOptions.Flag("--keep-cpus-awake",
        "keep every core from going idle while playing (a spinning lowest-priority thread per core, 100 % CPU): on VMs an idle core woke the workers late, an underrun at 64-frame blocks (docs/performance.md, Live latency); needs real-time priority, ignored with a warning without it");
    private static readonly Option<bool> NoSpareOption = CliOptions.Flag("--no-spare-worker", "do not keep a spare worker process warm for restarts (saves ~40 MB; a restart then waits for a process start)");
    private static readonly Option<bool> NoLimiterOption = CliOptions.Flag("--no-limiter", "turn off the output safety stage (a soft clipper keeping every sample within -0.3 dBFS, transparent below -3 dBFS); the --journal records it, and render --journal of it keeps it off");
    private static readonly Option<bool> QuietOption = CliOptions.Flag("--quiet", "log only warnings and errors (logs go to stderr)");
    private static readonly Option<string> OscOption = CliOptions.Text("--osc", "HOST:PORT", OscEndpoint.Default,
        "the OSC control port (UDP; `none` to disable); see docs/protocol.md");
    private static readonly Option<string?> WebOption = CliOptions.Text("--web", "HOST:PORT",
        "serve the engine's page there (perpetuo web, a child process): e.g. 127.0.0.1:8080; any address but loopback prints a token the page needs");
    private static readonly Option<string?> MetricsOption = CliOptions.Text("--metrics", "HOST:PORT",
        "serve GET /metrics in the Prometheus text format (off by default; `perpetuo top` shows the same engine live)");
    private static readonly Option<string?> PatchDirOption = CliOptions.Text("--patch-dir", "DIR",
        "let /perpetuo/patch/load load the .json patches in DIR, by file name (off by default: the control port never opens a path it is sent)");
    private static readonly Option<int> InputHistoryOption = new("--input-history-blocks")
    {
        Description = "blocks of live input each worker region keeps (a power of two; 0: as many as 32 MiB hold); older input is read from the session's record on disk. For tests",
        HelpName = "N",
        Hidden = true,
        DefaultValueFactory = _ => 0,
    };
    private static readonly Option<int> CommandWindowOption = new("--command-log-window")
    {
        Description = "commands the audio process keeps in memory; a plugin session's older ones go to a nameless spill file in the temporary directory. For tests",
        HelpName = "N",
        Hidden = true,
        DefaultValueFactory = _ => Perpetuo.Protocol.Limits.CommandLogWindow,
    };
    private static readonly Option<double> CheckpointOption = CliOptions.Double("--checkpoint-seconds", 10, 0, 24 * 3600,
        "keep a snapshot of a verified worker every N seconds of audio (0: never): if both workers die, the next resumes from it");

    /// <summary>The `play` verb: its options, help and action.</summary>
    public static Command Create()
    {
        var command = new Command("play", Description)
        {
            PatchOption, OutputOption, SecondsOption, RateOption, BlockOption, ChannelsOption, DepthOption, SlotsOption,
            EventsOption, JournalOption, FaultsOption, HangOption, WaitOption, JackNameOption, NoConnectOption, QuietOption,
            OscOption, MetricsOption, PatchDirOption, CheckpointOption, NoLimiterOption, NoSpareOption, PluginsOption,
            KeepAwakeOption, InputOption, InputsOption, MidiOption, MidiMapOption, WebOption, InputHistoryOption, CommandWindowOption,
        };
        command.SetAction(Run);
        return command;
    }

    private static int Run(ParseResult a)
    {
        string? patchPath = a.GetValue(PatchOption);
        string outputSpec = a.GetValue(OutputOption)!;
        double seconds = a.GetValue(SecondsOption) ?? 0; // 0: until Ctrl+C (the option itself is > 0)
        int rate = a.GetValue(RateOption);
        int block = a.GetValue(BlockOption);
        int channels = a.GetValue(ChannelsOption);
        int depth = a.GetValue(DepthOption);
        int slots = a.GetValue(SlotsOption);
        string? eventsPath = a.GetValue(EventsOption);
        string? journalPath = a.GetValue(JournalOption);
        bool faults = a.GetValue(FaultsOption);
        double hang = a.GetValue(HangOption);
        string wait = a.GetValue(WaitOption)!;
        string jackName = a.GetValue(JackNameOption)!;
        bool noConnect = a.GetValue(NoConnectOption);
        bool quiet = a.GetValue(QuietOption);
        bool limiter = !a.GetValue(NoLimiterOption);
        bool spare = !a.GetValue(NoSpareOption);
        string oscSpec = a.GetValue(OscOption)!;
        string? metricsSpec = a.GetValue(MetricsOption);
        string? webSpec = a.GetValue(WebOption);
        string? patchDir = a.GetValue(PatchDirOption);
        double checkpointSeconds = a.GetValue(CheckpointOption);
        string? inputPath = InputFilePath(a.GetValue(InputOption));
        int inputs = a.GetValue(InputsOption);
        int inputHistory = a.GetValue(InputHistoryOption);
        if (inputHistory != 0 && (inputHistory < 64 || !System.Numerics.BitOperations.IsPow2(inputHistory)
                                  || (long)inputHistory * block * channels * sizeof(float) > Perpetuo.Protocol.Limits.InputHistoryBytes))
        {
            throw new CliException($"play: --input-history-blocks must be 0 or a power of two of at least 64 blocks within {Perpetuo.Protocol.Limits.InputHistoryBytes} bytes, got {inputHistory}");
        }
        int commandWindow = a.GetValue(CommandWindowOption);
        if (commandWindow < 64 || commandWindow > Perpetuo.Protocol.Limits.CommandLogWindow)
        {
            throw new CliException($"play: --command-log-window must be 64..{Perpetuo.Protocol.Limits.CommandLogWindow} commands, got {commandWindow}");
        }
        bool midi = a.GetValue(MidiOption);
        string? midiMapPath = a.GetValue(MidiMapOption);
        if (midiMapPath != null && !midi)
        {
            throw new CliException("play: --midi-map needs --midi");
        }
        MidiMap midiMap = midiMapPath == null ? MidiMap.Empty : LoadMidiMap(midiMapPath);
        if (inputs > channels)
        {
            throw new CliException($"play: --inputs {inputs} is more than --channels {channels} (port N feeds channel N)");
        }
        if (inputs > 0 && inputPath != null)
        {
            throw new CliException("play: --input and --inputs are two live inputs: give one");
        }
        string? journalInputPath = journalPath != null && (inputPath != null || inputs > 0) ? JournalInputPath(journalPath) : null;
        if (webSpec != null)
        {
            CheckWeb(webSpec, oscSpec);
        }
        // Every path is checked before anything starts, and everything that can fail to open or bind (ports, the
        // events and journal files) is opened before the WAV output, the one thing that truncates an existing file.
        OutputFactory.CheckPath("play", outputSpec);
        PathChecks.Output("play", "--events", eventsPath);
        PathChecks.Output("play", "--journal", journalPath);
        PathChecks.Input("play", "--input", inputPath);
        PathChecks.Output("play", "--journal (its input)", journalInputPath);
        if (journalInputPath != null
            && new[] { OutputFactory.WavPath(outputSpec), eventsPath, inputPath }.Any(p => p != null && Path.GetFullPath(p) == Path.GetFullPath(journalInputPath)))
        {
            throw new CliException($"play: --journal {journalPath} keeps its input in {journalInputPath}, which another option also names: give another file");
        }
        // The plugin types, scanned in child processes (this process never loads a plugin), read before the engine
        // starts and only when asked for (--plugins) or needed (the patch names a plugin): reading them is a garbage
        // collection of this process, and one during play made the JACK callback miss its deadline (measured).
        var plugins = new Lv2PluginTypes(); // once enabled, any plugin may be added over OSC: each is looked up when first named
        if (a.GetValue(PluginsOption))
        {
            plugins.WaitReady([]); // the description only: each plugin is checked when a patch or a request names it
        }
        PatchSpec patch = RenderCommand.LoadPatch(patchPath, "play", faults, plugins);
        PatchDirectory? patches = OpenPatchDirectory(patchDir);
        Perpetuo.Transport.LibC.TrySetNice(-10); // the audio process first (when privileged; threads created later inherit it)
        using ILoggerFactory logs = Logs.Create(quiet);
        ILogger log = logs.CreateLogger("Perpetuo.Play");

        using OscControlServer? osc = OpenOsc(oscSpec, patch, DspBridge.CatalogFor(faults, plugins), patches, log); // before the engine: disposed after its control thread stops
        using MetricsExporter? metrics = metricsSpec != null ? MetricsExporter.Listen(metricsSpec, log) : null;
        using EventLog events = eventsPath != null ? Open("--events", eventsPath, p => new EventLog(p)) : new EventLog(null);
        // Live input without --journal: a private record of the session all the same (SessionRecord), from which a
        // worker replayed from further back than the regions' input history reads the older input.
        using SessionRecord? record = journalPath == null && (inputPath != null || inputs > 0) ? SessionRecord.Create() : null;
        using JournalWriter? journal = journalPath != null ? Open("--journal", journalPath, p => new JournalWriter(p))
            : record != null ? Open("--journal (the session's private record)", record.JournalPath, p => new JournalWriter(p)) : null;
        journalInputPath ??= record?.InputPath;
        if (osc != null)
        {
            events.Written += osc.Events.Add; // numbered for /perpetuo/events (perpetuo web's timeline)
        }

        var requested = new AudioFormat(rate, channels, block);
        using WavInput? inputFile = inputPath != null ? InputFiles.Open("play", "--input", inputPath, requested) : null; // before the output truncates a file
        long maxFrames = seconds > 0 ? (long)Math.Round(seconds * rate) : 0;
        using IAudioOutput output = OutputFactory.Create(outputSpec, requested, maxFrames, jackName, !noConnect, out string chosen, inputs, midi);
        Console.Error.WriteLine(chosen); // always shown, also with --quiet: which output plays (or why none does)
        AudioFormat format = output.Format;
        if (inputFile != null && inputFile.SampleRate != format.SampleRate)
        {
            throw new CliException($"play: --input {inputPath} is at {inputFile.SampleRate} Hz, but {output.Name} runs at {format.SampleRate} Hz (convert the file)");
        }

        var options = new EngineOptions
        {
            SampleRate = format.SampleRate,
            Channels = format.Channels,
            BlockFrames = format.BlockFrames,
            RingDepth = depth,
            Slots = slots,
            HangTimeoutBlocks = hang,
            WaitStrategy = wait,
            AllowFaultInjection = faults,
            Limiter = limiter,
            SpareWorker = spare,
            CheckpointSeconds = checkpointSeconds,
            PatchJson = PatchFile.ToJson(patch),
            Launch = WorkerLaunchFactory.ForThisProcess(new WorkerSettings(wait, output.AudioThreadMayBeRealtime, limiter, faults, journalInputPath)),
            InputHistoryBlocks = inputHistory,
            CommandLogWindow = commandWindow,
            Realtime = output.AudioThreadMayBeRealtime,
            LiveInput = inputFile != null || inputs > 0,
        };
        plugins.Freeze(); // no scan while playing (its garbage goes with the start-up's: Engine.StartWorkers)
        using var engine = new Engine(options, events);
        if (journal != null)
        {
            AttachJournal(engine, journal, journalInputPath, plugins.IsRead ? plugins.Identify : null);
        }
        if (midi)
        {
            engine.AttachMidi(midiMap);
        }
        engine.Endpoint = metrics != null ? new ControlEndpoints(osc, metrics.Attach(engine)) : osc;
        using MetricsExporter? serving = metrics; // disposed again here, before the engine: a scrape reads the engine
        using IDisposable logging = EventLogger.Attach(events, logs.CreateLogger("Perpetuo.Engine"));
        using WebChild? web = webSpec != null ? WebChild.Start(webSpec, osc!.LocalEndPoint, patchDir, plugins.IsRead, faults) : null; // starts while the workers do
        engine.StartWorkers(TimeSpan.FromSeconds(30));
        engine.StartControlThread();
        using CpuKeepAwake? awake = a.GetValue(KeepAwakeOption) && KeepAwakeMayHelp() ? CpuKeepAwake.Start() : null;
        using FileInputSource? fileInput = inputFile != null ? new FileInputSource(engine.Reader, engine.Reader, inputFile, format) : null;
        output.Start(fileInput ?? (IBlockSource)engine.Reader);
        bool serverGone = WaitUntilDone(output, seconds);
        output.Stop();
        if (fileInput is { Underruns: > 0 } or { Error: not null })
        {
            Console.Error.WriteLine($"perpetuo: warning: --input {inputPath}: {fileInput.Underruns} blocks came late from the file (played as silence, journaled as such)" +
                                   (fileInput.Error != null ? $"; reading stopped early: {fileInput.Error}" : string.Empty));
        }
        EngineStatus s = engine.Status();
        logging.Dispose(); // log what the engine reported until now
        logs.Dispose(); // flush the log queue: the summary below is the last line
        double played = (double)Math.Min(s.Seq * format.BlockFrames, maxFrames > 0 ? maxFrames : long.MaxValue) / format.SampleRate;
        Console.Error.WriteLine(
            $"played {s.Seq} blocks ({played:0.00} s): {s.Underruns} underruns, {s.Failovers} failovers, " +
            $"{s.Divergences} divergences, {s.Slots.Sum(x => x.Restarts)} restarts, {s.GcCollections} GCs, " +
            (s.Limiter ? $"limiter clipped {s.LimiterBlocks} blocks" : "limiter off"));
        if (serverGone)
        {
            Console.Error.WriteLine("perpetuo: error: the JACK server went away; playback stopped (start jackd again, or use --output portaudio, null or wav:PATH)");
            return 1;
        }
        return 0;
    }

    /// <summary>--web needs the OSC port (the page's only way to the engine) and a HOST:PORT, checked before anything starts.</summary>
    private static void CheckWeb(string webSpec, string oscSpec)
    {
        if (oscSpec == "none")
        {
            throw new CliException("play: --web needs the OSC control port (the page talks to the engine through it): drop --osc none");
        }
        try
        {
            OscEndpoint.Parse(webSpec, allowPortZero: true);
        }
        catch (FormatException e)
        {
            throw new CliException($"play: --web {e.Message}", e);
        }
    }

    private static MidiMap LoadMidiMap(string path)
    {
        PathChecks.NotEmpty("play", "--midi-map", path);
        try
        {
            return MidiMap.Load(path);
        }
        catch (PatchException e)
        {
            throw new CliException($"play: --midi-map {e.Message}", e);
        }
    }

    /// <summary>The file of an --input spec: <c>wav:FILE</c> is the one kind of input a file can be.</summary>
    private static string? InputFilePath(string? spec) =>
        spec == null ? null
        : spec.StartsWith("wav:", StringComparison.Ordinal) ? spec[4..]
        : throw new CliException($"play: --input {spec}: give wav:FILE (a JACK server's capture ports are --inputs N)");

    /// <summary>Where a journal's live input is written: beside it, <c>NAME.input.wav</c> for <c>NAME.jsonl</c>.</summary>
    internal static string JournalInputPath(string journalPath) => Path.ChangeExtension(journalPath, null) + ".input.wav";

    private static void AttachJournal(Engine engine, JournalWriter journal, string? inputPath, Func<string, JournalPlugin?>? identify)
    {
        try
        {
            engine.AttachJournal(journal, inputPath, identify);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"play: --journal: its input {inputPath}: {e.Message}", e);
        }
    }

    /// <summary>Opens the output file of <paramref name="option"/>; an open error is one CLI line.</summary>
    private static T Open<T>(string option, string path, Func<string, T> open)
    {
        try
        {
            return open(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"play: {option} {path}: {e.Message}", e);
        }
    }

    private static PatchDirectory? OpenPatchDirectory(string? path)
    {
        try
        {
            return path == null ? null : new PatchDirectory(path);
        }
        catch (PatchException e)
        {
            throw new CliException($"play: {e.Message}", e);
        }
    }

    private static OscControlServer? OpenOsc(string spec, PatchSpec patch, ModuleCatalog catalog, PatchDirectory? patches, ILogger log)
    {
        if (spec == "none")
        {
            return null;
        }
        try
        {
            var server = new OscControlServer(OscEndpoint.Parse(spec), GraphModel.FromPatch(patch, catalog), Console.Error, patches);
            log.LogInformation("osc: listening on udp {Endpoint}", server.LocalEndPoint);
            return server;
        }
        catch (FormatException e)
        {
            throw new CliException($"play: --osc {e.Message}", e);
        }
        catch (System.Net.Sockets.SocketException e)
        {
            throw new CliException($"play: cannot listen for OSC on {spec}: {e.Message} (choose another port with --osc HOST:PORT, or --osc none)", e);
        }
    }

    /// <summary>
    /// The spinning threads help only threads that preempt them at once: real-time ones. Without real-time priority
    /// (an ordinary user) they took time from the workers — measured at 64 × 2 through the null output, 60 s each:
    /// 8 and 14 underruns with them against 2 and 0 without (docs/performance.md, Live latency) — so they are not
    /// started, and the user is told why.
    /// </summary>
    private static bool KeepAwakeMayHelp()
    {
        if (RealtimeThread.IsGranted())
        {
            return true;
        }
        Console.Error.WriteLine("perpetuo: warning: --keep-cpus-awake ignored: this process may not use real-time priority (run as root, " +
                                "or raise the rtprio limit), and without it the spinning threads would take time from the workers");
        return false;
    }

    /// <summary>Waits for the time, the frame limit, Ctrl+C or SIGTERM; true if the JACK server went away instead.</summary>
    private static bool WaitUntilDone(IAudioOutput output, double seconds)
    {
        using var cancel = new ManualResetEventSlim(false);
        bool serverGone = false;
        if (output is Perpetuo.Audio.Jack.JackOutput jack)
        {
            // JACK calls its shutdown callback when the server dies or throws us out: nothing will pull audio any
            // more, so say so and stop (exit status 1) instead of waiting on a silent clock.
            jack.ServerShutdown += (_, _) =>
            {
                serverGone = true;
                cancel.Set();
            };
        }
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cancel.Set();
        };
        Console.CancelKeyPress += onCancel;
        using var term = System.Runtime.InteropServices.PosixSignalRegistration.Create(
            System.Runtime.InteropServices.PosixSignal.SIGTERM, ctx =>
            {
                ctx.Cancel = true;
                cancel.Set();
            });
        WaitHandle[] handles = output is PacedOutput { HasFrameLimit: true } paced && seconds > 0
            ? [cancel.WaitHandle, paced.Finished]
            : [cancel.WaitHandle];
        int timeout = seconds > 0 && handles.Length == 1 ? (int)(seconds * 1000) : Timeout.Infinite;
        WaitHandle.WaitAny(handles, timeout);
        Console.CancelKeyPress -= onCancel;
        return serverGone || output is Perpetuo.Audio.Jack.JackOutput { ServerGone: true };
    }
}
