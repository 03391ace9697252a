using Microsoft.Extensions.Logging;
using Perpetuo.Audio;
using Perpetuo.Control.Patches;
using Perpetuo.Control.Commands;
using Perpetuo.Supervisor.Control;
using Perpetuo.Supervisor.Osc;

namespace Perpetuo.Cli;

/// <summary>`play`: the engine. Workers render, the supervisor's callback plays, the control thread supervises.</summary>
internal static class PlayCommand
{
    public const string Help = """
        perpetuo play [--patch FILE] [--output auto|null|wav:PATH|jack|portaudio[:DEV]] [--seconds N]
                      [--rate 48000] [--block 256] [--channels 2] [--ring-depth 3] [--slots 2]
                      [--events FILE] [--journal FILE] [--osc 127.0.0.1:57130] [--allow-fault-injection]
                      [--hang-timeout BLOCKS] [--wait sleep|yield|spin] [--jack-name NAME] [--no-connect]
                      [--metrics 127.0.0.1:9464] [--checkpoint-seconds 10] [--patch-dir DIR] [--quiet]
                      [--no-limiter]

        Plays the patch (default: the built-in patch) through a hot-standby pair of worker processes. A worker
        that crashes, hangs or misbehaves is replaced without a gap: the other worker's identical block plays.
        Without --seconds it plays until Ctrl+C.

        Examples:
          perpetuo play --seconds 10
          perpetuo play --output wav:out.wav --seconds 5 --events events.jsonl
          perpetuo play --journal session.jsonl --osc 127.0.0.1:57130   (then: perpetuo send /perpetuo/param filter cutoff 400)

        --osc HOST:PORT is the OSC control port (UDP, default 127.0.0.1:57130; `none` to disable). See docs/protocol.md.
        --patch-dir DIR lets /perpetuo/patch/load load the .json patches in DIR, by file name (off by default: the
        control port never opens a path it is sent).
        --checkpoint-seconds N keeps a snapshot of a verified worker every N seconds of audio (0: never): if both
        workers die, the next one resumes from it instead of replaying the session, and the command log in memory
        stays bounded.
        --no-limiter turns off the output safety stage (a soft clipper that keeps every sample within -0.3 dBFS,
        0.966, and is transparent below -3 dBFS): the raw, possibly dangerous output. Render such a session with
        `render --no-limiter` to reproduce it.
        --metrics HOST:PORT serves GET /metrics in the Prometheus text format (off by default; `perpetuo top` shows
        the same engine live). Logs go to stderr; --quiet keeps only warnings and errors.
        """;

    private static readonly HashSet<string> Flags = ["allow-fault-injection", "no-connect", "quiet", "no-limiter"];

    public static IReadOnlySet<string> FlagNames => Flags;

    public static int Run(CliArgs a)
    {
        string? patchPath = a.String("patch");
        string outputSpec = a.String("output") ?? "auto";
        double seconds = a.Double("seconds", 0, 0, 7 * 24 * 3600);
        int rate = a.Int("rate", 48000, 8000, 192000);
        int block = a.Int("block", 256, 16, 8192);
        int channels = a.Int("channels", 2, 1, 64);
        int depth = a.Int("ring-depth", 3, 1, 256);
        int slots = a.Int("slots", 2, 1, 2);
        string? eventsPath = a.String("events");
        string? journalPath = a.String("journal");
        bool faults = a.Flag("allow-fault-injection");
        double hang = a.Double("hang-timeout", 2, 0.5, 10_000);
        string wait = a.String("wait") ?? "sleep";
        string jackName = a.String("jack-name") ?? "perpetuo";
        bool noConnect = a.Flag("no-connect");
        bool quiet = a.Flag("quiet");
        bool limiter = !a.Flag("no-limiter");
        string oscSpec = a.String("osc") ?? OscEndpoint.Default;
        string? metricsSpec = a.String("metrics");
        string? patchDir = a.String("patch-dir");
        double checkpointSeconds = a.Double("checkpoint-seconds", 10, 0, 24 * 3600);
        a.RejectUnknown();
        if (wait is not ("sleep" or "yield" or "spin"))
        {
            throw new CliException($"play: --wait must be sleep, yield or spin, got \"{wait}\"");
        }
        // Every path is checked before anything starts, and everything that can fail to open or bind (ports, the
        // events and journal files) is opened before the WAV output, the one thing that truncates an existing file.
        OutputFactory.CheckPath("play", outputSpec);
        PathChecks.Output("play", "--events", eventsPath);
        PathChecks.Output("play", "--journal", journalPath);
        PatchSpec patch = RenderCommand.LoadPatch(patchPath, "play");
        PatchDirectory? patches = OpenPatchDirectory(patchDir);
        Perpetuo.Transport.LibC.TrySetNice(-10); // the audio process first (when privileged; threads created later inherit it)
        using ILoggerFactory logs = Logs.Create(quiet);
        ILogger log = logs.CreateLogger("Perpetuo.Play");

        using OscControlServer? osc = OpenOsc(oscSpec, patch, patches, log); // before the engine: disposed after its control thread stops
        using MetricsExporter? metrics = metricsSpec != null ? MetricsExporter.Listen(metricsSpec, log) : null;
        using EventLog events = eventsPath != null ? Open("--events", eventsPath, p => new EventLog(p)) : new EventLog(null);
        using JournalWriter? journal = journalPath != null ? Open("--journal", journalPath, p => new JournalWriter(p)) : null;

        var requested = new AudioFormat(rate, channels, block);
        long maxFrames = seconds > 0 ? (long)Math.Round(seconds * rate) : 0;
        using IAudioOutput output = OutputFactory.Create(outputSpec, requested, maxFrames, jackName, !noConnect, out string chosen);
        Console.Error.WriteLine(chosen); // always shown, also with --quiet: which output plays (or why none does)
        AudioFormat format = output.Format;

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
            CheckpointSeconds = checkpointSeconds,
            PatchJson = PatchFile.ToJson(patch),
            Launch = WorkerLaunchFactory.ForThisProcess(),
            Realtime = output.AudioThreadMayBeRealtime,
        };
        using var engine = new Engine(options, events);
        if (journal != null)
        {
            engine.AttachJournal(journal);
        }
        engine.Endpoint = metrics != null ? new ControlEndpoints(osc, metrics.Attach(engine)) : osc;
        using MetricsExporter? serving = metrics; // disposed again here, before the engine: a scrape reads the engine
        using IDisposable logging = EventLogger.Attach(events, logs.CreateLogger("Perpetuo.Engine"));
        engine.StartWorkers(TimeSpan.FromSeconds(30));
        engine.StartControlThread();
        output.Start(engine.Reader);
        bool serverGone = WaitUntilDone(output, seconds);
        output.Stop();
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

    private static OscControlServer? OpenOsc(string spec, PatchSpec patch, PatchDirectory? patches, ILogger log)
    {
        if (spec == "none")
        {
            return null;
        }
        try
        {
            var server = new OscControlServer(OscEndpoint.Parse(spec), GraphModel.FromPatch(patch, DspBridge.Catalog), Console.Error, patches);
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
