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
    private readonly Dictionary<string, Lv2PluginInfo> byUri;
    private IntPtr world;
    private GCHandle mapHandle;
    private int liveInstances;
    private bool disposed;

    private Lv2Catalog(IntPtr world, List<Lv2PluginInfo> plugins)
    {
        this.world = world;
        Plugins = plugins;
        byUri = plugins.ToDictionary(p => p.Uri, StringComparer.Ordinal);
        UridMap = new Lv2UridMap();
        foreach (string uri in HostUris)
        {
            UridMap.Map(uri);
        }
        mapHandle = GCHandle.Alloc(UridMap);
    }

    /// <summary>Every installed plugin, sorted by URI (ordinal).</summary>
    public IReadOnlyList<Lv2PluginInfo> Plugins { get; }

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
            return new Lv2Catalog(world, Scanner.Describe(world));
        }
        catch
        {
            LilvNative.WorldFree(world);
            throw;
        }
    }

    /// <summary>The plugin <paramref name="uri"/>, or null when it is not installed.</summary>
    public Lv2PluginInfo? Find(string uri) => byUri.GetValueOrDefault(uri);

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
            IntPtr instance = LilvNative.PluginInstantiate(LilvPlugin(uri), sampleRate, features.Array);
            if (instance == IntPtr.Zero)
            {
                throw new Lv2Exception($"LV2 plugin {uri} failed to instantiate (its library did not load or it refused the sample rate or features)");
            }
            return new Lv2Plugin(this, info, instance, features, worker, sampleRate, maxBlockLength, midiEvents);
        }
        catch
        {
            worker.Dispose();
            features?.Dispose();
            Release();
            throw;
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

    private IntPtr LilvPlugin(string uri)
    {
        IntPtr node = LilvNative.NewUri(world, uri);
        try
        {
            IntPtr plugin = LilvNative.PluginsGetByUri(LilvNative.WorldGetAllPlugins(world), node);
            return plugin != IntPtr.Zero ? plugin : throw new Lv2Exception($"no LV2 plugin {uri} is installed");
        }
        finally
        {
            LilvNative.NodeFree(node);
        }
    }

    private void FreeIfUnused()
    {
        if (!disposed || liveInstances > 0 || world == IntPtr.Zero)
        {
            return;
        }
        LilvNative.WorldFree(world);
        world = IntPtr.Zero;
        mapHandle.Free();
        UridMap.Dispose();
    }
}
