using System.Diagnostics;
using System.Text.Json;
using Perpetuo.Control.Catalog;
using Perpetuo.Control.Journal;
using Perpetuo.Protocol;

namespace Perpetuo.Cli;

/// <summary>
/// The <c>lv2:URI</c> module types, as data, for the audio process — which never loads lilv or a plugin. A plugin is
/// looked up the first time a session names it — its patch, a patch it loads, a module it is asked to add — never
/// before, and never every installed one: in child processes, its <b>description</b> (`perpetuo plugins --json URI`:
/// lilv reads its data, no plugin code runs) and its <b>check</b> (<see cref="PluginCheck"/>: instantiated and run in
/// two fresh copies, in two processes). A pack with a plugin that crashes when instantiated costs that plugin only,
/// and a musician's hundreds of installed plugins cost nothing until one is used (reading all their data took 7-14 s
/// with Debian's main packs installed).
/// </summary>
/// <remarks>
/// Plugins are looked up only in a session that asked for them (its patch names one, or play was started with
/// --plugins); otherwise a plugin requested over OSC is refused with how to enable them. A look-up's answer is a few
/// kilobytes, read on a pool thread. <see cref="Find"/> never waits: it runs on the control thread, where a plugin
/// not looked up yet is refused with "send it again" while its look-up starts, rather than stalling the audio's
/// supply of render limits; a patch load waits for it on its pool thread. Thread-safe.
/// </remarks>
public sealed class Lv2PluginTypes : IPluginTypes
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Task<Lookup>> _lookups = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _recordNames = new(StringComparer.Ordinal); // record name (full or hashed) -> URI
    private bool _enabled;
    private bool _frozen;

    /// <summary>From now on plugins cannot be enabled (play calls it before its engine starts).</summary>
    public void Freeze()
    {
        lock (_gate)
        {
            _frozen = true;
        }
    }

    /// <summary>True when this session may use plugins.</summary>
    public bool IsRead
    {
        get
        {
            lock (_gate)
            {
                return _enabled;
            }
        }
    }

    /// <summary>Lets this session use plugins (unless frozen first).</summary>
    public Lv2PluginTypes Start()
    {
        lock (_gate)
        {
            _enabled |= !_frozen;
        }
        return this;
    }

    public string Hint => "lv2:PLUGIN-URI (see perpetuo plugins)";

    public bool Claims(string type) => type.StartsWith(PluginTypes.Prefix, StringComparison.Ordinal);

    /// <summary>Looks up the plugins <paramref name="types"/> name (those not looked up yet) and waits for them, bounded.</summary>
    public void WaitReady(IEnumerable<string> types)
    {
        ArgumentNullException.ThrowIfNull(types);
        Start();
        Task[] lookups = [.. types.Where(Claims).Select(Uri).Distinct(StringComparer.Ordinal).Select(LookUp).OfType<Task<Lookup>>()];
        try
        {
            Task.WaitAll(lookups, Limits.PluginDescribeTime + (2 * Limits.PluginCheckTime * (lookups.Length + 1)));
        }
        catch (AggregateException)
        {
            // Find says why
        }
    }

    public ModuleTypeInfo? Find(string type, out string refusal)
    {
        string uri = Uri(type);
        Task<Lookup>? lookup = LookUp(uri);
        if (lookup == null)
        {
            refusal = $"module type \"{type}\": LV2 plugins were not read in this session: name the plugin in the --patch, " +
                      "or start play with --plugins";
            return null;
        }
        if (!lookup.IsCompleted)
        {
            refusal = $"LV2 plugin {uri} is being checked (two copies in two processes, about a second): {IPluginTypes.SendAgain}";
            return null;
        }
        if (!lookup.IsCompletedSuccessfully)
        {
            refusal = $"module type \"{type}\": LV2 plugins are not available: {lookup.Exception?.InnerException?.Message}";
            return null;
        }
        Lookup found = lookup.Result;
        refusal = found.Refusal;
        if (found.Plugin is not { } j || found.Check is not { } check || refusal.Length > 0)
        {
            return null;
        }
        return Info(type, j, check);
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
    /// hash of its library, once it is looked up and hosted; null otherwise. Any thread (the control thread journals
    /// with it).
    /// </summary>
    public JournalPlugin? Identify(string recordName)
    {
        Task<Lookup>? lookup;
        lock (_gate)
        {
            lookup = _recordNames.TryGetValue(recordName, out string? uri) ? _lookups.GetValueOrDefault(uri) : null;
        }
        return lookup is { IsCompletedSuccessfully: true, Result: { Plugin: { } j, Check: { } c, Refusal.Length: 0 } }
            ? new JournalPlugin(j.Uri, j.Version, c.Library)
            : null;
    }

    /// <summary>The look-up of <paramref name="uri"/>, started if needed; null when this session may not use plugins.</summary>
    private Task<Lookup>? LookUp(string uri)
    {
        lock (_gate)
        {
            if (!_enabled)
            {
                return null;
            }
            if (!_lookups.TryGetValue(uri, out Task<Lookup>? lookup))
            {
                lookup = Task.Run(() => Describe(uri));
                _lookups[uri] = lookup;
                _recordNames[PluginTypes.ForRecord(PluginTypes.Prefix + uri)] = uri;
            }
            return lookup;
        }
    }

    private static string Uri(string type) => type[PluginTypes.Prefix.Length..];

    /// <summary>One plugin's data (a child `perpetuo plugins --json URI`: no plugin code runs), then its check.</summary>
    private static Lookup Describe(string uri)
    {
        ProcessStartInfo psi = SelfProcess.StartInfo("plugins", "--json", "--nice", "19", uri);
        using Process p = Process.Start(psi) ?? throw new InvalidOperationException("could not start the plugin scan");
        p.StandardInput.Close();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        if (!p.WaitForExit(Limits.PluginDescribeTime))
        {
            p.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"reading the plugin's data took longer than {Limits.PluginDescribeTime.TotalSeconds:0} s");
        }
        if (p.ExitCode != 0)
        {
            string why = stderr.Result.Split('\n').FirstOrDefault(l => l.Contains("perpetuo: error", StringComparison.Ordinal))?.Trim()
                         ?? $"reading the plugin's data {PluginCheck.Death(p.ExitCode)}";
            throw new InvalidOperationException(why.Replace("perpetuo: error: ", "", StringComparison.Ordinal));
        }
        PluginJson? j = (JsonSerializer.Deserialize(stdout.Result, PluginsJsonContext.Default.ListPluginJson) ?? []).SingleOrDefault(x => x.Uri == uri);
        if (j == null)
        {
            return new Lookup(null, null, $"module type \"lv2:{uri}\": no such LV2 plugin is installed (see perpetuo plugins)");
        }
        if (!j.Supported)
        {
            return new Lookup(j, null, $"LV2 plugin {uri} cannot be hosted: {j.Reason}");
        }
        PluginCheck.Outcome check = PluginCheck.Run([uri])[uri];
        return new Lookup(j, check, check.Replicable ? "" : $"LV2 plugin {uri} cannot run in Perpetuo's workers: {check.Reason}");
    }

    /// <summary>
    /// Every installed plugin as a module type, described (`perpetuo plugins --json` in a child process: no plugin code
    /// runs; seconds with many packs installed) but not checked: what `perpetuo web` offers to add. A plugin the engine
    /// then checks may still be refused. Empty when plugins cannot be read. Never in the audio process.
    /// </summary>
    public static IReadOnlyList<PluginEntry> DescribeAll()
    {
        ProcessStartInfo psi = SelfProcess.StartInfo("plugins", "--json", "--nice", "19");
        using Process p = Process.Start(psi) ?? throw new InvalidOperationException("could not start the plugin scan");
        p.StandardInput.Close();
        _ = p.StandardError.ReadToEndAsync();
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        if (!p.WaitForExit(Limits.PluginDescribeTime * 4) || p.ExitCode != 0)
        {
            p.Kill(entireProcessTree: true);
            return [];
        }
        List<PluginJson> plugins = JsonSerializer.Deserialize(stdout.Result, PluginsJsonContext.Default.ListPluginJson) ?? [];
        return [.. plugins.OrderBy(j => j.Uri, StringComparer.Ordinal).Select(j => new PluginEntry(
            PluginTypes.Prefix + j.Uri, j.Name,
            j.Supported ? new ModuleTypeInfo(PluginTypes.Prefix + j.Uri, j.Name, [.. j.Params.Select(q => new ParamInfo(q.Symbol, q.Min, q.Max, q.Default, q.Name))]) : null,
            j.Supported ? "" : $"LV2 plugin {j.Uri} cannot be hosted: {j.Reason}"))];
    }

    /// <summary>What a look-up found: the plugin's data (null: not installed), its check, and why it cannot be used ("" if it can).</summary>
    private sealed record Lookup(PluginJson? Plugin, PluginCheck.Outcome? Check, string Refusal);
}
