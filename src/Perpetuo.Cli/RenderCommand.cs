using System.CommandLine;
using Perpetuo.Audio;
using Perpetuo.Control.Journal;
using Perpetuo.Control.Patches;
using Perpetuo.Dsp;
using Perpetuo.Worker;
using Spectre.Console;
using Perpetuo.Protocol;

namespace Perpetuo.Cli;

/// <summary>`render`: the reference. The patch (and a journal's commands at their stamps) rendered in-process, no workers.</summary>
internal static class RenderCommand
{
    private const string Description = """
        render a patch (and a journal) in-process: the reference

        Renders the patch (default: the built-in patch) in this process, with no workers, applying a journal's
        commands at the blocks and frames they were stamped with. The result is the reference a `play` of the same
        patch and journal equals sample for sample. The output safety stage (a soft clipper within -0.3 dBFS) is
        on as in play; --no-limiter turns it off, to reproduce a `play --no-limiter` session.

        A journal describes its session: render --journal takes the rate, channels, block and limiter from it, so
        the journal of a `play --no-limiter --block 512` session renders as played without more options. An
        option that contradicts the journal (--no-limiter for a session played with the limiter, another --rate,
        --channels or --block) is an error: the render would not be the session's reference. A journal written
        before journals had a session line renders with the limiter on and the format these options give.

        Progress is shown for renders longer than 5 s (a bar on a terminal, plain lines otherwise).

        Examples:
          perpetuo render --seconds 5 --out ref.wav
          perpetuo render --journal session.jsonl --seconds 20 --out replay.wav
        """;

    private static readonly Option<double?> SecondsOption = CliOptions.Seconds("seconds of audio to render (required)", required: true);
    private static readonly Option<bool> NoLimiterOption = CliOptions.Flag("--no-limiter", "turn off the output safety stage (a soft clipper keeping every sample within -0.3 dBFS, transparent below -3 dBFS), as a play --no-limiter session had it (with --journal: taken from the journal)");
    private static readonly Option<string> OutOption = new("--out") { Description = "the WAV file to write (32-bit float)", HelpName = "FILE.wav", Required = true };
    private static readonly Option<string?> PatchOption = CliOptions.Text("--patch", "FILE", "the patch file (default: the built-in patch)");
    private static readonly Option<string?> JournalOption = CliOptions.Text("--journal", "FILE", "a journal written by play --journal: its commands, at their stamps");
    private static readonly Option<string?> InputOption = CliOptions.Text("--input", "FILE.wav",
        "a WAV file (16-bit or float, the render's rate, its channels or mono) as the live input that `input` modules mix in; silence after its end (with --journal: instead of the session's own input)");
    private const int MinRate = 8000, MaxRate = 192000, MinBlock = 16, MaxBlock = 8192, MaxChannels = 64;
    private static readonly Option<int> RateOption = CliOptions.Int("--rate", 48000, MinRate, MaxRate, "sample rate in Hz (with --journal: taken from the journal)");
    private static readonly Option<int> BlockOption = CliOptions.Int("--block", 256, MinBlock, MaxBlock, "frames per block (with --journal: taken from the journal)");
    private static readonly Option<int> ChannelsOption = CliOptions.Int("--channels", 2, 1, MaxChannels, "output channels (with --journal: taken from the journal)");
    private static readonly Option<string?> GuardedChildOption = new(RenderGuard.ChildOption) { Hidden = true, Description = "internal: render in this process, saying where the chain is in this probe file (RenderGuard)" };
    private static readonly Option<string?> SavePatchOption = CliOptions.Text("--save-patch", "FILE.json",
        "also write the chain as it ends as a patch: every module with its parameters, and each LV2 plugin's own state (what play --patch restores)");

    /// <summary>The `render` verb: its options, help and action.</summary>
    public static Command Create()
    {
        var command = new Command("render", Description)
        {
            SecondsOption, OutOption, PatchOption, JournalOption, InputOption, RateOption, BlockOption, ChannelsOption, NoLimiterOption,
            SavePatchOption, GuardedChildOption,
        };
        command.SetAction(Run);
        return command;
    }

    private static int Run(ParseResult a)
    {
        string? probePath = a.GetValue(GuardedChildOption);
        if (probePath == null)
        {
            return RenderGuard.RunGuarded(Environment.GetCommandLineArgs()[1..]); // the DSP in a child: a module's crash or hang is named
        }
        using var probe = new RenderGuard.Probe(probePath);
        string? patchPath = a.GetValue(PatchOption);
        string? journalPath = a.GetValue(JournalOption);
        string output = a.GetRequiredValue(OutOption);
        double seconds = a.GetValue(SecondsOption) ?? throw new CliException("render: --seconds N is required");
        int rate = a.GetValue(RateOption);
        int block = a.GetValue(BlockOption);
        int channels = a.GetValue(ChannelsOption);
        bool limiter = !a.GetValue(NoLimiterOption);
        string? inputPath = a.GetValue(InputOption);
        string? savePatch = a.GetValue(SavePatchOption);
        if (savePatch != null)
        {
            PathChecks.Output("render", "--save-patch", savePatch);
        }
        PathChecks.Input("render", "--journal", journalPath);
        PathChecks.Input("render", "--input", inputPath);
        PathChecks.Output("render", "--out", output);
        JournalContents? recorded = journalPath == null ? null : ReadJournal(journalPath);
        PatchSpec patch = recorded?.Session?.Patch is { } played
            ? SessionPatch(played, patchPath, journalPath!, recorded.Plugins)
            : LoadPatch(patchPath, "render", faults: true);
        IReadOnlyList<JournalEntry> journal = recorded?.Entries ?? [];
        if (recorded?.Session is { } session)
        {
            rate = FromJournal(a, RateOption, rate, session.SampleRate, MinRate, MaxRate, journalPath!);
            channels = FromJournal(a, ChannelsOption, channels, session.Channels, 1, MaxChannels, journalPath!);
            block = FromJournal(a, BlockOption, block, session.BlockFrames, MinBlock, MaxBlock, journalPath!);
            if (!limiter && session.Limiter)
            {
                throw new CliException(
                    $"render: --no-limiter contradicts --journal {journalPath}, which was played with the limiter on: the render " +
                    "would not reproduce the session (render --journal takes the limiter setting from the journal: drop --no-limiter)");
            }
            limiter = session.Limiter;
        }
        long frames = (long)Math.Round(seconds * rate);
        var format = new AudioFormat(rate, channels, block);
        // The journal's own input (a session with live input) unless --input names another: a render of the same
        // commands over a different take.
        using WavInput? input = inputPath != null ? InputFiles.Open("render", "--input", inputPath, format)
            : recorded?.Session?.Input is { } recordedInput
                ? InputFiles.Open("render", $"--journal {journalPath}: its input", Path.Combine(Path.GetDirectoryName(Path.GetFullPath(journalPath!))!, recordedInput), format)
                : null;
        ModuleHost host;
        try
        {
            host = Render(patch, journal, rate, channels, block, frames, output, progress: frames > rate * 5L, limiter, input, probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"render: --out {output}: {e.Message}", e);
        }
        Console.Error.WriteLine($"rendered {frames} frames ({seconds:0.###} s) to {output}");
        if (savePatch != null)
        {
            SavePatch(host, savePatch);
        }
        return 0;
    }

    /// <summary>
    /// The chain as the render left it, as a patch: each module's type, id and parameters (their targets), and an LV2
    /// plugin's own state (<see cref="ModuleHost.SaveState"/>) — what a session changed in a plugin, kept so that the
    /// next session starts from it. The preset parameter is left out: the parameters and the state hold what it set.
    /// </summary>
    private static void SavePatch(ModuleHost host, string path)
    {
        var modules = new List<ModuleSpec>();
        foreach (Dsp.ModuleInfo m in host.Describe())
        {
            string? state;
            try
            {
                state = host.SaveState(m.Id);
            }
            catch (DspException e)
            {
                throw new CliException($"render: --save-patch: {e.Message}", e);
            }
            modules.Add(new ModuleSpec(m.Type, m.Id, [.. m.Params.Where(p => p.Name != PluginTypes.PresetParam).Select(p => new KeyValuePair<string, float>(p.Name, p.Value))])
            {
                State = state,
            });
        }
        try
        {
            File.WriteAllText(path, PatchFile.ToJson(new PatchSpec(modules)) + "\n");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"render: --save-patch {path}: {e.Message}", e);
        }
        Console.Error.WriteLine($"saved the chain as it ends to {path}");
    }

    /// <summary>Renders <paramref name="frames"/> frames to a WAV file.</summary>
    /// <param name="progress">Show progress on stderr: a Spectre.Console bar on a terminal, a line per 10 % otherwise.</param>
    /// <param name="limiter">The output safety stage, as the played session had it.</param>
    /// <param name="input">The live input, block by block (render --input); none: silence.</param>
    /// <returns>The host as the render left it.</returns>
    public static ModuleHost Render(PatchSpec patch, IReadOnlyList<JournalEntry> journal, int rate, int channels, int block,
                                    long frames, string path, bool progress, bool limiter = true, WavInput? input = null,
                                    RenderGuard.Probe? probe = null)
    {
        long blocks = (frames + block - 1) / block;
        ModuleHost? host = null;
        if (!progress)
        {
            host = RenderBlocks(patch, journal, rate, channels, block, frames, path, limiter, input, probe, _ => { });
        }
        else if (!Console.IsErrorRedirected)
        {
            IAnsiConsole stderr = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
            stderr.Progress()
                  .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                  .Start(ctx =>
                  {
                      ProgressTask task = ctx.AddTask("rendering", maxValue: blocks);
                      host = RenderBlocks(patch, journal, rate, channels, block, frames, path, limiter, input, probe, b => task.Value = b + 1);
                  });
        }
        else
        {
            long step = Math.Max(1, blocks / 10);
            host = RenderBlocks(patch, journal, rate, channels, block, frames, path, limiter, input, probe, b =>
            {
                if ((b + 1) % step == 0 || b + 1 == blocks)
                {
                    Console.Error.WriteLine($"rendering {100.0 * (b + 1) / blocks:0} %");
                }
            });
        }
        return host!;
    }

    private static ModuleHost RenderBlocks(PatchSpec patch, IReadOnlyList<JournalEntry> journal, int rate, int channels, int block,
                                     long frames, string path, bool limiter, WavInput? input, RenderGuard.Probe? probe, Action<long> rendered)
    {
        // The reference runs what the workers ran, the test-only fault module included: every crash or hang of one is
        // quarantined by a journal line before its block, and a NaN or an exception is caught here as in a worker.
        ModuleHost host = HostFactory.Build(patch, rate, channels, block, limiter, allowFaultModules: true);
        host.Probe = probe;
        var buffer = new float[block * channels];
        var inputBlock = new float[block * channels];
        using var wav = new WavWriter(path, rate, channels);
        int next = 0;
        long blocks = (frames + block - 1) / block;
        for (long b = 0; b < blocks; b++)
        {
            probe?.BeginBlock(b);
            while (next < journal.Count && journal[next].Block <= b)
            {
                JournalEntry e = journal[next++];
                if (e.Kind == CommandKind.Quarantine && !QuarantineReasons.IsDecidedBySupervisor(QuarantineReasons.Parse(e.Name)))
                {
                    continue; // the workers caught it part-way through the block; this host catches it at the same frame
                }
                host.QueueCommand(new DspCommand((CommandKind)e.Kind, e.Block < b ? 0 : e.Frame, e.Id, e.Name, e.Value, e.Value2));
            }
            if (input != null)
            {
                input.Read(inputBlock);
                host.Input.Set(inputBlock);
            }
            host.ProcessChain(buffer);
            int take = (int)Math.Min(block, frames - (b * block));
            wav.Write(buffer.AsSpan(0, take * channels));
            rendered(b);
        }
        return host;
    }

    /// <summary>The --patch file (read by PatchFileReader: bounded, regular files only), or the default patch.</summary>
    /// <param name="faults">Whether the test-only <c>fault</c> type is accepted (play --allow-fault-injection; render always).</param>
    /// <param name="plugins">The session's plugin types (play's; render makes its own when its patch names a plugin).</param>
    internal static PatchSpec LoadPatch(string? path, string verb, bool faults, Lv2PluginTypes? plugins = null)
    {
        if (path != null)
        {
            PathChecks.NotEmpty(verb, "--patch", path);
        }
        try
        {
            return DspBridge.LoadPatch(path, faults, plugins);
        }
        catch (PatchException e)
        {
            throw new CliException(e.Message, e);
        }
    }

    /// <summary>
    /// The patch a journal's session started with (its content, recorded by play), validated as a patch file is; and
    /// every plugin the session played checked against the installed one. A --patch beside it must be the same patch
    /// (as any option that agrees with the journal is accepted): the journal is the whole session.
    /// </summary>
    private static PatchSpec SessionPatch(string json, string? patchPath, string journalPath, IReadOnlyList<JournalPlugin> played)
    {
        try
        {
            PatchSpec patch = PatchFile.Parse(json, $"{journalPath} (its patch)");
            if (patchPath != null && PatchFile.ToJson(LoadPatch(patchPath, "render", faults: true)) != PatchFile.ToJson(patch))
            {
                throw new CliException($"render: --patch {patchPath} contradicts --journal {journalPath}, which holds the patch the session " +
                                       "played: drop --patch (render --journal alone reproduces the session)");
            }
            var plugins = new Lv2PluginTypes();
            Control.Catalog.ModuleCatalog catalog = DspBridge.CatalogFor(faults: true, plugins);
            string[] types = [.. patch.Modules.Select(m => m.Type), .. played.Select(p => PluginTypes.Prefix + p.Uri)];
            catalog.WaitForPlugins(types);
            foreach (JournalPlugin p in played)
            {
                CheckInstalled(p, plugins.Identify(PluginTypes.ForRecord(PluginTypes.Prefix + p.Uri)), catalog, journalPath);
            }
            PatchValidator.Validate(patch, catalog, $"{journalPath} (its patch)");
            return patch;
        }
        catch (PatchException e)
        {
            throw new CliException($"render: --journal {e.Message}", e);
        }
    }

    /// <summary>The plugin <paramref name="played"/> is installed as the session had it, or one line says how it differs.</summary>
    private static void CheckInstalled(JournalPlugin played, JournalPlugin? installed, Control.Catalog.ModuleCatalog catalog, string journalPath)
    {
        string uri = played.Uri;
        if (installed == null)
        {
            catalog.Find(PluginTypes.Prefix + uri, out string why);
            throw new CliException($"render: --journal {journalPath}: the session played LV2 plugin {uri}, which cannot be used here: {why}");
        }
        if (installed.Version != played.Version || installed.Library != played.Library)
        {
            string version = installed.Version != played.Version
                ? $"version {Shown(played.Version)} then, {Shown(installed.Version)} installed"
                : $"its library differs (SHA-256 {Short(played.Library)} then, {Short(installed.Library)} installed)";
            throw new CliException($"render: --journal {journalPath}: the installed LV2 plugin {uri} is not the one the session played " +
                                   $"({version}): its render would not be the session's; install the plugin the session played");
        }
    }

    private static string Shown(string version) => version.Length > 0 ? version : "(none given)";

    private static string Short(string hash) => hash.Length > 12 ? hash[..12] : hash;

    /// <summary>
    /// The journal's value of a format option; an explicit option that contradicts it is an error (the journal's
    /// stamps are blocks of the session's format), as is a journal value outside the option's range.
    /// </summary>
    private static int FromJournal(ParseResult a, Option<int> option, int given, int recorded, int min, int max, string journalPath)
    {
        if (recorded < min || recorded > max)
        {
            throw new CliException($"render: --journal {journalPath}: its session line has {option.Name} {recorded}, outside {min}..{max}");
        }
        if (a.GetResult(option) is { Implicit: false } && given != recorded)
        {
            throw new CliException(
                $"render: {option.Name} {given} contradicts --journal {journalPath}, which was played with {option.Name} {recorded}: " +
                $"the render would not reproduce the session (render --journal takes it from the journal: drop {option.Name})");
        }
        return recorded;
    }

    private static JournalContents ReadJournal(string path)
    {
        try
        {
            return JournalFile.Load(path);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            throw new CliException($"render: --journal {e.Message}", e);
        }
    }
}
