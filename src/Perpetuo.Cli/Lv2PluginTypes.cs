using System.Diagnostics;
using System.Text.Json;
using Perpetuo.Control.Catalog;
using Perpetuo.Lv2;

namespace Perpetuo.Cli;

/// <summary>
/// The <c>lv2:URI</c> module types, as data, for the audio process — which never loads lilv or a plugin: a child
/// process (`perpetuo plugins --json --check`, about a second) scans the installed plugins and renders each twice
/// to find out which can be replicated; its JSON becomes the types. Play reads it before its engine starts, and
/// only when its patch names a plugin or it was started with --plugins (measured: starting a scan while playing
/// stalled the control thread ~28 ms, and reading its answer while playing was a garbage collection that made the
/// JACK callback miss its deadline); otherwise a plugin requested over OSC is refused with how to enable them.
/// </summary>
/// <remarks>
/// <see cref="Find"/> never waits: it runs on the control thread, where a request for a plugin before the list is
/// read is refused with "try again" rather than stalling the audio's supply of render limits. Thread-safe.
/// </remarks>
public sealed class Lv2PluginTypes : IPluginTypes
{
    /// <summary>The longest the scan may take before play gives up on plugins (a broken plugin that hangs on load).</summary>
    public static readonly TimeSpan ScanTimeout = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private Task<Dictionary<string, PluginEntry>>? _scan;

    private bool _frozen;

    /// <summary>
    /// No scan starts from now on (play calls it before its engine starts): a patch loaded over OSC that names a
    /// plugin is then refused like a request for one, instead of starting a scan while the audio plays.
    /// </summary>
    public void Freeze()
    {
        lock (_gate)
        {
            _frozen = true;
        }
    }

    /// <summary>True once the scan was started (it is read, or being read).</summary>
    public bool IsRead => Volatile.Read(ref _scan) != null;

    /// <summary>Starts the scan in a child process of this program, once; later calls do nothing.</summary>
    public Lv2PluginTypes Start()
    {
        lock (_gate)
        {
            if (_scan == null && !_frozen)
            {
                string exe = Environment.ProcessPath ?? "perpetuo";
                string dll = typeof(Lv2PluginTypes).Assembly.Location;
                bool viaDotnet = Path.GetFileNameWithoutExtension(exe).Equals("dotnet", StringComparison.OrdinalIgnoreCase);
                string[] args = viaDotnet ? [dll, "plugins", "--json", "--check", "--nice", "19"] : ["plugins", "--json", "--check", "--nice", "19"];
                // Two scans, two processes: a plugin is replicable only if each agrees with itself and both agree with
                // each other. The second runs with glibc's MALLOC_PERTURB_, which fills fresh allocations with a
                // pattern: a plugin that reads memory it never wrote then plays differently (measured: swh
                // chebstortion agreed with itself, in one process and across two identical ones, yet differed from
                // `render`, whose heap was laid out otherwise).
                Task<List<PluginJson>> a = Task.Run(() => Scan(exe, args, perturb: false));
                Task<List<PluginJson>> b = Task.Run(() => Scan(exe, args, perturb: true));
                _scan = Task.WhenAll(a, b).ContinueWith(t => Types(a.Result, b.Result), TaskScheduler.Default);
            }
        }
        return this;
    }

    public string Hint => "lv2:PLUGIN-URI (see perpetuo plugins)";

    public bool Claims(string type) => type.StartsWith(Perpetuo.Dsp.Lv2Modules.Prefix, StringComparison.Ordinal);

    /// <summary>Starts the scan if needed and waits for it (at most <see cref="ScanTimeout"/>): for a patch that names a
    /// plugin, on the thread that loads it (never the control thread).</summary>
    public void WaitReady()
    {
        try
        {
            Start()._scan?.Wait(ScanTimeout);
        }
        catch (AggregateException)
        {
            // Find reports why
        }
    }

    public ModuleTypeInfo? Find(string type, out string refusal)
    {
        Task<Dictionary<string, PluginEntry>>? scan = Volatile.Read(ref _scan);
        if (scan == null)
        {
            refusal = $"module type \"{type}\": LV2 plugins were not read in this session: name the plugin in the --patch, " +
                      "or start play with --plugins";
            return null;
        }
        if (!scan.IsCompleted)
        {
            refusal = $"module type \"{type}\": the list of LV2 plugins is still being read (about a second after play starts); try again";
            return null;
        }
        if (!scan.IsCompletedSuccessfully)
        {
            refusal = $"module type \"{type}\": LV2 plugins are not available: {scan.Exception?.InnerException?.Message}";
            return null;
        }
        if (scan.Result.TryGetValue(type, out PluginEntry? found))
        {
            refusal = found.Refusal;
            return found.Info;
        }
        refusal = $"module type \"{type}\": no such LV2 plugin is installed (see perpetuo plugins)";
        return null;
    }

    private static List<PluginJson> Scan(string exe, string[] args, bool perturb)
    {
        var psi = new ProcessStartInfo(exe) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        if (perturb)
        {
            psi.Environment["MALLOC_PERTURB_"] = "165";
        }
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using Process p = Process.Start(psi) ?? throw new InvalidOperationException("could not start the plugin scan");
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        if (!p.WaitForExit(ScanTimeout))
        {
            p.Kill();
            throw new InvalidOperationException($"the plugin scan took longer than {ScanTimeout.TotalSeconds:0} s");
        }
        if (p.ExitCode != 0)
        {
            string why = stderr.Result.Split('\n').FirstOrDefault(l => l.Contains("error", StringComparison.Ordinal))?.Trim() ?? $"exit status {p.ExitCode}";
            throw new InvalidOperationException(why.Replace("perpetuo: error: ", "", StringComparison.Ordinal));
        }
        return JsonSerializer.Deserialize(stdout.Result, PluginsJsonContext.Default.ListPluginJson) ?? [];
    }

    /// <summary>
    /// Every installed plugin as a module type, hostable or not (with why not), sorted by type: what `perpetuo web`
    /// offers to add. Empty before the scan is read, or when it failed. Any thread; never waits.
    /// </summary>
    public IReadOnlyList<PluginEntry> List()
    {
        Task<Dictionary<string, PluginEntry>>? scan = Volatile.Read(ref _scan);
        return scan is { IsCompletedSuccessfully: true } ? [.. scan.Result.Values.OrderBy(e => e.Type, StringComparer.Ordinal)] : [];
    }

    private static Dictionary<string, PluginEntry> Types(List<PluginJson> plugins, List<PluginJson> again)
    {
        Dictionary<string, string?> hashes = again.ToDictionary(j => j.Uri, j => j.CheckHash, StringComparer.Ordinal);
        var types = new Dictionary<string, PluginEntry>(StringComparer.Ordinal);
        foreach (PluginJson j in plugins)
        {
            string type = Perpetuo.Dsp.Lv2Modules.Prefix + j.Uri;
            if (!j.Supported)
            {
                types[type] = new(type, j.Name, null, $"LV2 plugin {j.Uri} cannot be hosted: {j.Reason}");
            }
            else if (j.Replicable != true)
            {
                types[type] = new(type, j.Name, null, $"LV2 plugin {j.Uri} cannot run in Perpetuo's two workers: {j.ReplicationReason}");
            }
            else if (!hashes.TryGetValue(j.Uri, out string? other) || other != j.CheckHash)
            {
                types[type] = new(type, j.Name, null, $"LV2 plugin {j.Uri} cannot run in Perpetuo's two workers: two processes running it on " +
                                     "the same input played different sounds (it reads memory it never wrote), so the two " +
                                     "workers and the reference render could not be kept identical");
            }
            else
            {
                types[type] = new(type, j.Name, new ModuleTypeInfo(type, j.Name, [.. j.Params.Select(q => new ParamInfo(q.Symbol, q.Min, q.Max, q.Default, q.Name)
                {
                    Integer = q.Integer || q.Enumeration,
                    Toggle = q.Toggled,
                    Enumeration = q.Enumeration,
                })]), "");
            }
        }
        return types;
    }
}

/// <summary>One installed plugin as a module type: its name, and its type when it can be hosted, else why not.</summary>
public sealed record PluginEntry(string Type, string Name, ModuleTypeInfo? Info, string Refusal);
