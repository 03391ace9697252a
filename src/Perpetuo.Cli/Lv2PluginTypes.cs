using System.Diagnostics;
using System.Text.Json;
using Perpetuo.Control.Catalog;
using Perpetuo.Control.Journal;
using Perpetuo.Protocol;

namespace Perpetuo.Cli;

/// <summary>
/// The <c>lv2:URI</c> module types, as data, for the audio process — which never loads lilv or a plugin. Two steps,
/// both in child processes: the <b>description</b> of every installed plugin (`perpetuo plugins --json`: lilv reads
/// their data, no plugin code runs), once, before the engine starts; and the <b>check</b> of a plugin
/// (<see cref="PluginCheck"/>: instantiated and run in two fresh copies, in two processes), only for the plugins a
/// session names — its patch, a patch it loads, a module it is asked to add — never every installed one: a pack
/// with a plugin that crashes when instantiated costs that plugin only, and a musician's hundreds of installed
/// plugins cost nothing until one is used.
/// </summary>
/// <remarks>
/// Play reads the description before its engine starts, and only when its patch names a plugin or it was started
/// with --plugins (measured: reading the list while playing was a garbage collection that made the JACK callback
/// miss its deadline); otherwise a plugin requested over OSC is refused with how to enable them. A check's answer
/// is a few lines, read on a pool thread. <see cref="Find"/> never waits: it runs on the control thread, where a
/// plugin not checked yet is refused with "send it again" while its check starts, rather than stalling the audio's
/// supply of render limits. Thread-safe.
/// </remarks>
public sealed class Lv2PluginTypes : IPluginTypes
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Task<PluginCheck.Outcome>> _checks = new(StringComparer.Ordinal);
    private Task<Dictionary<string, PluginJson>>? _described;
    private Dictionary<string, string>? _recordNames; // a command record's module type (full or hashed) -> URI
    private HashSet<string>? _only; // the plugins described, when not every installed one (a patch's)
    private bool _frozen;

    /// <summary>
    /// No description starts from now on (play calls it before its engine starts): a plugin named over OSC is then
    /// refused, saying how to enable plugins, instead of reading the list while the audio plays.
    /// </summary>
    public void Freeze()
    {
        lock (_gate)
        {
            _frozen = true;
        }
    }

    /// <summary>
    /// Read every installed plugin's description as soon as any is needed (play: a plugin may then be added over OSC,
    /// whatever the patch named); false (render), only the plugins named: a fraction of the time with a few hundred
    /// installed.
    /// </summary>
    public bool ReadAll { get; init; }

    /// <summary>True once the description was started (it is read, or being read).</summary>
    public bool IsRead => Volatile.Read(ref _described) != null;

    /// <summary>Starts reading the description of every installed plugin in a child process, once; later calls do nothing.</summary>
    public Lv2PluginTypes Start()
    {
        lock (_gate)
        {
            if ((_described == null || _only != null) && !_frozen)
            {
                _described = Task.Run(() => DescribeAndName([]));
                _only = null;
            }
        }
        return this;
    }

    /// <summary>
    /// Starts reading the description of the plugins <paramref name="uris"/> name that are not described yet (all
    /// of them when every installed one is being read): a patch's few plugins are read in a fraction of the time
    /// every installed one takes (seconds with a few hundred).
    /// </summary>
    private Task<Dictionary<string, PluginJson>>? StartFor(IReadOnlyCollection<string> uris)
    {
        lock (_gate)
        {
            if (_frozen || (_described != null && _only == null))
            {
                return _described;
            }
            List<string> missing = [.. uris.Where(u => _only == null || !_only.Contains(u))];
            if (_described != null && missing.Count == 0)
            {
                return _described;
            }
            Task<Dictionary<string, PluginJson>>? before = _described;
            _described = Task.Run(() => Merge(before, DescribeAndName(missing)));
            (_only ??= new HashSet<string>(StringComparer.Ordinal)).UnionWith(missing);
            return _described;
        }
    }

    private static Dictionary<string, PluginJson> Merge(Task<Dictionary<string, PluginJson>>? before, Dictionary<string, PluginJson> more)
    {
        if (before == null || !WaitQuietly(before, Limits.PluginDescribeTime) || !before.IsCompletedSuccessfully)
        {
            return more;
        }
        var merged = new Dictionary<string, PluginJson>(before.Result, StringComparer.Ordinal);
        foreach ((string uri, PluginJson j) in more)
        {
            merged[uri] = j;
        }
        return merged;
    }

    public string Hint => "lv2:PLUGIN-URI (see perpetuo plugins)";

    public bool Claims(string type) => type.StartsWith(Perpetuo.Dsp.Lv2Modules.Prefix, StringComparison.Ordinal);

    /// <summary>
    /// Reads the description if needed, then checks the plugins <paramref name="types"/> name that are not checked
    /// yet (all in one check), and waits for both: for a patch, on the thread that loads it (never the control thread).
    /// </summary>
    public void WaitReady(IEnumerable<string> types)
    {
        ArgumentNullException.ThrowIfNull(types);
        List<string> named = [.. types.Where(Claims).Select(Uri).Distinct(StringComparer.Ordinal)];
        Task<Dictionary<string, PluginJson>>? described = named.Count == 0 || ReadAll ? Start()._described : StartFor(named);
        if (described == null || !WaitQuietly(described, Limits.PluginDescribeTime) || !described.IsCompletedSuccessfully)
        {
            return; // Find reports why
        }
        List<string> uris = [.. named.Where(u => described.Result.TryGetValue(u, out PluginJson? j) && j.Supported)];
        Task[] checks = [.. Checks(uris)];
        WaitQuietly(Task.WhenAll(checks), Limits.PluginCheckTime * (uris.Count + 1) * 2);
    }

    public ModuleTypeInfo? Find(string type, out string refusal)
    {
        Task<Dictionary<string, PluginJson>>? described = Volatile.Read(ref _described);
        if (described == null)
        {
            refusal = $"module type \"{type}\": LV2 plugins were not read in this session: name the plugin in the --patch, " +
                      "or start play with --plugins";
            return null;
        }
        if (!described.IsCompleted)
        {
            refusal = $"module type \"{type}\": the list of LV2 plugins is still being read (about a second after play starts); try again";
            return null;
        }
        if (!described.IsCompletedSuccessfully)
        {
            refusal = $"module type \"{type}\": LV2 plugins are not available: {described.Exception?.InnerException?.Message}";
            return null;
        }
        string uri = Uri(type);
        if (!described.Result.TryGetValue(uri, out PluginJson? j))
        {
            bool partial;
            lock (_gate)
            {
                partial = _only != null && !_only.Contains(uri);
            }
            refusal = partial
                ? $"module type \"{type}\": this session read only the LV2 plugins its patch names: start play with --plugins to add others"
                : $"module type \"{type}\": no such LV2 plugin is installed (see perpetuo plugins)";
            return null;
        }
        if (!j.Supported)
        {
            refusal = $"LV2 plugin {uri} cannot be hosted: {j.Reason}";
            return null;
        }
        Task<PluginCheck.Outcome> check = Checks([uri])[0];
        if (!check.IsCompleted)
        {
            refusal = $"LV2 plugin {uri} is being checked (two copies in two processes, about a second): send the request again";
            return null;
        }
        PluginCheck.Outcome outcome = check.IsCompletedSuccessfully
            ? check.Result
            : new PluginCheck.Outcome(false, $"its check could not run: {check.Exception?.InnerException?.Message}", "0");
        if (!outcome.Replicable)
        {
            refusal = $"LV2 plugin {uri} cannot run in Perpetuo's workers: {outcome.Reason}";
            return null;
        }
        refusal = "";
        return Info(type, j, outcome);
    }

    /// <summary>
    /// The module type of a checked plugin: its control inputs as parameters and, when it has presets, the preset
    /// parameter after them (as the workers describe it: Lv2Modules); its presets and latency from the check. A plugin
    /// replicable only at its defaults is played, never tweaked: it has no parameters and no presets.
    /// </summary>
    private static ModuleTypeInfo Info(string type, PluginJson j, PluginCheck.Outcome outcome)
    {
        if (outcome.FixedParameters)
        {
            return new ModuleTypeInfo(type, j.Name, []) { LatencyFrames = Latency(outcome) };
        }
        List<ParamInfo> ps = [.. j.Params.Select(q => new ParamInfo(q.Symbol, q.Min, q.Max, q.Default, q.Name))];
        if (outcome.Presets.Count > 0)
        {
            ps.Add(new ParamInfo(PluginTypes.PresetParam, 0, outcome.Presets.Count, 0, "the preset last applied (perpetuo plugins URI lists them); 0 none"));
        }
        return new ModuleTypeInfo(type, j.Name, ps)
        {
            Presets = [.. outcome.Presets.Select(p => new PresetInfo(p.Number, p.Uri, p.Label, p.HasState, p.Values))],
            LatencyFrames = Latency(outcome),
        };
    }

    private static float? Latency(PluginCheck.Outcome outcome) => outcome.Latency != 0 ? outcome.Latency : null;

    /// <summary>
    /// The plugin a command record's module type (full or hashed) names, as a journal records it: its version and the
    /// hash of its library, once it is checked; null otherwise. Any thread (the control thread journals with it).
    /// </summary>
    public JournalPlugin? Identify(string recordName)
    {
        Task<Dictionary<string, PluginJson>>? described = Volatile.Read(ref _described);
        if (described is not { IsCompletedSuccessfully: true } || !Volatile.Read(ref _recordNames)!.TryGetValue(recordName, out string? uri))
        {
            return null;
        }
        Task<PluginCheck.Outcome>? check;
        lock (_gate)
        {
            check = _checks.GetValueOrDefault(uri);
        }
        return check is { IsCompletedSuccessfully: true } ? new JournalPlugin(uri, described.Result[uri].Version, check.Result.Library) : null;
    }

    /// <summary>The check of each of <paramref name="uris"/>, started (together, in one check) for those not checked yet.</summary>
    private List<Task<PluginCheck.Outcome>> Checks(List<string> uris)
    {
        lock (_gate)
        {
            List<string> fresh = [.. uris.Where(u => !_checks.ContainsKey(u))];
            if (fresh.Count > 0)
            {
                Task<Dictionary<string, PluginCheck.Outcome>> batch = Task.Run(() => PluginCheck.Run(fresh));
                foreach (string u in fresh)
                {
                    _checks[u] = batch.ContinueWith(t => t.Result[u], TaskScheduler.Default);
                }
            }
            return [.. uris.Select(u => _checks[u])];
        }
    }

    private static string Uri(string type) => type[Perpetuo.Dsp.Lv2Modules.Prefix.Length..];

    private static bool WaitQuietly(Task task, TimeSpan timeout)
    {
        try
        {
            return task.Wait(timeout);
        }
        catch (AggregateException)
        {
            return true; // completed, faulted: Find says why
        }
    }

    /// <summary>
    /// The data of the plugins <paramref name="uris"/> (every installed one when empty; one not installed is left out),
    /// from `perpetuo plugins --json [URI...]` in a child process (no plugin code runs).
    /// </summary>
    private static Dictionary<string, PluginJson> Describe(IReadOnlyCollection<string> uris)
    {
        ProcessStartInfo psi = SelfProcess.StartInfo(["plugins", "--json", "--nice", "19", "--installed-only", .. uris]);
        using Process p = Process.Start(psi) ?? throw new InvalidOperationException("could not start the plugin scan");
        p.StandardInput.Close();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        if (!p.WaitForExit(Limits.PluginDescribeTime))
        {
            p.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"reading the installed plugins took longer than {Limits.PluginDescribeTime.TotalSeconds:0} s");
        }
        if (p.ExitCode != 0)
        {
            string why = stderr.Result.Split('\n').FirstOrDefault(l => l.Contains("perpetuo: error", StringComparison.Ordinal))?.Trim()
                         ?? $"reading the installed plugins {PluginCheck.Death(p.ExitCode)}";
            throw new InvalidOperationException(why.Replace("perpetuo: error: ", "", StringComparison.Ordinal));
        }
        List<PluginJson> plugins = JsonSerializer.Deserialize(stdout.Result, PluginsJsonContext.Default.ListPluginJson) ?? [];
        return plugins.ToDictionary(j => j.Uri, StringComparer.Ordinal);
    }

    private Dictionary<string, PluginJson> DescribeAndName(IReadOnlyCollection<string> uris)
    {
        Dictionary<string, PluginJson> plugins = Describe(uris);
        lock (_gate)
        {
            Dictionary<string, string> names = _recordNames == null ? new(StringComparer.Ordinal) : new(_recordNames, StringComparer.Ordinal);
            foreach (string u in plugins.Keys)
            {
                names[PluginTypes.ForRecord(PluginTypes.Prefix + u)] = u;
            }
            Volatile.Write(ref _recordNames, names);
        }
        return plugins;
    }
}
