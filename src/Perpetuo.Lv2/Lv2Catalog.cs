using System.Runtime.InteropServices;
using Perpetuo.Lv2.Native;

namespace Perpetuo.Lv2;

/// <summary>
/// The installed LV2 plugins (one lilv world, loaded once) and the factory of their instances. Control thread only:
/// a LilvWorld is not thread-safe; an instance's <see cref="Lv2Plugin.Run"/> is the one call made elsewhere.
/// </summary>
/// <remarks>
/// Design: the world outlives its instances (lilv_instance_free unloads the plugin's library through the world), so
/// each instance holds a reference and the world is freed when the catalog and its last instance are disposed,
/// in whichever order. The URID map belongs to the catalog, shared by its instances so that they agree on ids; the
/// host maps its own URIs first, in a fixed order (<see cref="HostUris"/>), so the ids do not depend on which
/// plugin asked first.
/// </remarks>
public sealed partial class Lv2Catalog : IDisposable
{
    private static readonly string[] HostUris =
    [
        Lv2Uris.AtomInt, Lv2Uris.AtomFloat, Lv2Uris.MaxBlockLength, Lv2Uris.MinBlockLength,
        Lv2Uris.NominalBlockLength, Lv2Uris.SampleRate, Lv2Uris.MidiEvent, Lv2Uris.AtomSequence, Lv2Uris.AtomChunk,
        Lv2Uris.SequenceSize,
    ];

    private readonly Lock gate = new();
    private readonly Lock worldGate = new(); // the world's data: lilv is not thread-safe, and plugins are built on pool threads
    private readonly Dictionary<string, Lv2PluginInfo> byUri = new(StringComparer.Ordinal); // described so far
    private readonly Dictionary<string, IntPtr> plugins; // URI -> LilvPlugin*, owned by the world
    private readonly Scanner scanner;
    private IReadOnlyList<Lv2PluginInfo>? all;
    private readonly Dictionary<string, IReadOnlyList<Lv2Preset>> presets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IntPtr> presetStates = new(StringComparer.Ordinal); // LilvState*, freed with the world
    private IntPtr world;
    private GCHandle mapHandle;
    private IntPtr mapFeature;
    private int liveInstances;
    private bool disposed;

    private Lv2Catalog(IntPtr world)
    {
        this.world = world;
        UridMap = new Lv2UridMap();
        foreach (string uri in HostUris)
        {
            UridMap.Map(uri);
        }
        mapHandle = GCHandle.Alloc(UridMap);
        mapFeature = Marshal.AllocHGlobal(2 * IntPtr.Size); // LV2_URID_Map { handle; map; }, for lilv's state functions
        Marshal.WriteIntPtr(mapFeature, 0, GCHandle.ToIntPtr(mapHandle));
        Marshal.WriteIntPtr(mapFeature, IntPtr.Size, Native.UridCallbacks.MapFunction);
        plugins = Scanner.List(world);
        Uris = [.. plugins.Keys.Order(StringComparer.Ordinal)];
        scanner = new Scanner(world);
    }

    /// <summary>The URI of every installed plugin, sorted (ordinal): known from the bundles' manifests, no plugin described.</summary>
    public IReadOnlyList<string> Uris { get; }

    /// <summary>
    /// Every installed plugin described, sorted by URI (ordinal): the first call reads every plugin's data (seconds
    /// with a few hundred plugins); a worker, which needs only the plugins it plays, asks <see cref="Find"/>.
    /// </summary>
    public IReadOnlyList<Lv2PluginInfo> Plugins
    {
        get
        {
            lock (worldGate)
            {
                return all ??= [.. Uris.Select(u => Find(u)!)];
            }
        }
    }

    /// <summary>The URI ↔ URID map every instance of this catalog is given.</summary>
    public Lv2UridMap UridMap { get; }

    /// <summary>
    /// Loads every bundle on the LV2 path (LV2_PATH, else ~/.lv2:/usr/local/lib/lv2:/usr/lib/lv2) and describes each
    /// plugin. Takes tens of milliseconds; lilv prints its own warnings about broken bundles to stderr.
    /// </summary>
    /// <param name="bundles">Bundle directories to load as well (tests: Perpetuo's own test plugins).</param>
    /// <exception cref="Lv2UnavailableException">liblilv-0.so.0 cannot be loaded.</exception>
    public static Lv2Catalog Load(IEnumerable<string>? bundles = null)
    {
        Native.HeadlessToolkits.Prepare();
        IntPtr world;
        try
        {
            world = LilvNative.WorldNew();
        }
        catch (DllNotFoundException e)
        {
            throw new Lv2UnavailableException(Lv2UnavailableException.Advice, e);
        }
        if (world == IntPtr.Zero)
        {
            throw new Lv2Exception("lilv_world_new failed");
        }
        try
        {
            LilvNative.WorldLoadAll(world);
            foreach (string bundle in bundles ?? [])
            {
                IntPtr node = LilvNative.NewFileUri(world, IntPtr.Zero, bundle.EndsWith('/') ? bundle : bundle + "/");
                LilvNative.WorldLoadBundle(world, node);
                LilvNative.NodeFree(node);
            }
            return new Lv2Catalog(world);
        }
        catch
        {
            LilvNative.WorldFree(world);
            throw;
        }
    }

    /// <summary>The plugin <paramref name="uri"/>, described the first time it is asked for, or null when it is not installed. Any thread.</summary>
    public Lv2PluginInfo? Find(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (!plugins.ContainsKey(uri))
        {
            return null;
        }
        lock (worldGate)
        {
            if (!byUri.TryGetValue(uri, out Lv2PluginInfo? info))
            {
                ObjectDisposedException.ThrowIf(world == IntPtr.Zero, this);
                info = scanner.Describe(LilvPlugin(uri));
                byUri[uri] = info;
            }
            return info;
        }
    }

    /// <summary>
    /// The presets of <paramref name="plugin"/>, in order of URI, numbered from 1 (at most
    /// <see cref="Perpetuo.Protocol.Limits.PluginPresets"/>): read from their files the first time (milliseconds
    /// for a plugin, seconds for every installed one), no plugin code run. Any thread.
    /// </summary>
    public IReadOnlyList<Lv2Preset> Presets(Lv2PluginInfo plugin)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        lock (worldGate)
        {
            ObjectDisposedException.ThrowIf(world == IntPtr.Zero, this);
            if (!presets.TryGetValue(plugin.Uri, out IReadOnlyList<Lv2Preset>? known))
            {
                IntPtr presetClass = LilvNative.NewUri(world, Lv2Uris.Preset);
                IntPtr label = LilvNative.NewUri(world, Lv2Uris.RdfsLabel);
                try
                {
                    known = PresetReader.Read(world, LilvPlugin(plugin.Uri), presetClass, label, mapFeature, UridMap);
                }
                finally
                {
                    LilvNative.NodeFree(presetClass);
                    LilvNative.NodeFree(label);
                }
                presets[plugin.Uri] = known;
            }
            return known;
        }
    }

    /// <summary>
    /// A new instance of <paramref name="uri"/> at <paramref name="sampleRate"/>, every port connected to a buffer it
    /// owns, control inputs at their defaults, not yet active. Allocates; control thread only.
    /// </summary>
    /// <param name="uri">The plugin's URI.</param>
    /// <param name="sampleRate">Frames per second.</param>
    /// <param name="maxBlockLength">The most frames one <see cref="Lv2Plugin.Run"/> may be given.</param>
    /// <param name="nominalBlockLength">The usual run length (the engine's block); 0 means <paramref name="maxBlockLength"/>.</param>
    /// <param name="midiEvents">The MIDI events one run's MIDI input must hold (an engine: every note a segment can carry).</param>
    /// <exception cref="Lv2Exception">Not installed, not supported (the reason), or the plugin refused to instantiate.</exception>
    public Lv2Plugin Instantiate(string uri, double sampleRate, int maxBlockLength, int nominalBlockLength = 0, int midiEvents = DefaultMidiEvents)
    {
        ArgumentNullException.ThrowIfNull(uri);
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 1.0);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBlockLength, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(nominalBlockLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(nominalBlockLength, maxBlockLength);
        Lv2PluginInfo info = Find(uri) ?? throw new Lv2Exception($"no LV2 plugin {uri} is installed (see perpetuo plugins)");
        if (!info.Supported)
        {
            throw new Lv2Exception($"LV2 plugin {uri} is not supported: {info.Reason}");
        }
        return InstantiateUnchecked(info, sampleRate, maxBlockLength, nominalBlockLength, midiEvents);
    }

    /// <summary>The MIDI events a run's MIDI input holds unless the caller says: a thousand notes.</summary>
    public const int DefaultMidiEvents = 1024;

    /// <summary>
    /// <see cref="Instantiate"/> without the support check, for tests that exercise the features on a plugin whose
    /// ports Perpetuo cannot connect yet (connected to NULL): such an instance must never run.
    /// </summary>
    internal Lv2Plugin InstantiateUnchecked(Lv2PluginInfo info, double sampleRate, int maxBlockLength, int nominalBlockLength,
                                            int midiEvents = DefaultMidiEvents)
    {
        string uri = info.Uri;
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            liveInstances++;
        }
        Native.Lv2Features? features = null;
        int nominal = nominalBlockLength == 0 ? maxBlockLength : nominalBlockLength;
        var worker = new Lv2Worker(sampleRate, nominal);
        try
        {
            features = new Native.Lv2Features(UridMap, GCHandle.ToIntPtr(mapHandle), worker.Handle, (float)sampleRate, 1, nominal, maxBlockLength);
            Native.FrozenClock.Apply(info.Library); // no wall clock reaches the plugin: it is told one fixed time
            IntPtr instance;
            lock (worldGate)
            {
                instance = LilvNative.PluginInstantiate(LilvPlugin(uri), sampleRate, features.Array);
            }
            if (instance == IntPtr.Zero)
            {
                throw new Lv2Exception(Native.FrozenClock.WhyNotLoadable(info.Library) is { } why
                    ? $"its library does not load, a fault of its package ({why})"
                    : $"LV2 plugin {uri} refused to instantiate (the sample rate, the block lengths or the features it was given)");
            }
            var plugin = new Lv2Plugin(this, info, instance, features, worker, sampleRate, maxBlockLength, midiEvents);
            if (info.HasDefaultState)
            {
                LoadDefaultState(plugin); // state:loadDefaultState: before it ever runs
            }
            return plugin;
        }
        catch
        {
            worker.Dispose();
            features?.Dispose();
            Release();
            throw;
        }
    }

    /// <summary>
    /// Loads the plugin state of <paramref name="preset"/> (beyond its port values) now, so that restoring it later
    /// reads no file: the first time, it is built from the world's data. Any thread.
    /// </summary>
    public void PreparePreset(Lv2Preset preset)
    {
        ArgumentNullException.ThrowIfNull(preset);
        _ = PresetState(preset);
    }

    /// <summary>
    /// Restores the plugin state <paramref name="preset"/> holds beyond its port values (the preset's properties: an
    /// impulse response's file, a program) into <paramref name="plugin"/>, through its state interface (lilv adds its
    /// own mapPath, so a preset's relative file is found in its bundle); its port values are the caller's to set. Does
    /// nothing for a preset without such state. Between runs only: the worker's render thread or the building thread.
    /// </summary>
    public void RestorePreset(Lv2Plugin plugin, Lv2Preset preset)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        ArgumentNullException.ThrowIfNull(preset);
        IntPtr state = preset.HasState ? PresetState(preset) : IntPtr.Zero;
        if (state != IntPtr.Zero)
        {
            LilvNative.StateRestore(state, plugin.LilvInstance, IntPtr.Zero, IntPtr.Zero, 0, plugin.FeatureArray);
        }
    }

    /// <summary>Restores the default state the plugin's data gives it (state:state on the plugin itself).</summary>
    private void LoadDefaultState(Lv2Plugin plugin)
    {
        IntPtr state;
        lock (worldGate)
        {
            IntPtr node = LilvNative.NewUri(world, plugin.Info.Uri);
            state = LilvNative.StateNewFromWorld(world, mapFeature, node);
            LilvNative.NodeFree(node);
        }
        if (state != IntPtr.Zero)
        {
            LilvNative.StateRestore(state, plugin.LilvInstance, IntPtr.Zero, IntPtr.Zero, 0, plugin.FeatureArray);
            LilvNative.StateFree(state);
        }
    }

    private IntPtr PresetState(Lv2Preset preset)
    {
        lock (worldGate)
        {
            ObjectDisposedException.ThrowIf(world == IntPtr.Zero, this);
            if (!presetStates.TryGetValue(preset.Uri, out IntPtr state))
            {
                IntPtr node = LilvNative.NewUri(world, preset.Uri);
                try
                {
                    _ = LilvNative.WorldLoadResource(world, node);
                    state = LilvNative.StateNewFromWorld(world, mapFeature, node);
                }
                finally
                {
                    LilvNative.NodeFree(node);
                }
                presetStates[preset.Uri] = state;
            }
            return state;
        }
    }

    /// <summary>Frees the world now, or when the last instance is disposed.</summary>
    public void Dispose()
    {
        lock (gate)
        {
            disposed = true;
            FreeIfUnused();
        }
    }

    /// <summary>An instance is gone (after its lilv_instance_free).</summary>
    internal void Release()
    {
        lock (gate)
        {
            liveInstances--;
            FreeIfUnused();
        }
    }

    private IntPtr LilvPlugin(string uri) =>
        plugins.TryGetValue(uri, out IntPtr plugin) ? plugin : throw new Lv2Exception($"no LV2 plugin {uri} is installed");

    private void FreeIfUnused()
    {
        if (!disposed || liveInstances > 0 || world == IntPtr.Zero)
        {
            return;
        }
        foreach (IntPtr state in presetStates.Values.Where(s => s != IntPtr.Zero))
        {
            LilvNative.StateFree(state);
        }
        presetStates.Clear();
        scanner.Dispose();
        LilvNative.WorldFree(world);
        world = IntPtr.Zero;
        Marshal.FreeHGlobal(mapFeature);
        mapFeature = IntPtr.Zero;
        mapHandle.Free();
        UridMap.Dispose();
    }
}
