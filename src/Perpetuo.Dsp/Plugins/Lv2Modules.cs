using Perpetuo.Protocol;
using Perpetuo.Lv2;

namespace Perpetuo.Dsp;

/// <summary>
/// The <c>lv2:URI</c> module types of this process: one LV2 world, loaded once (about 50 ms) and kept, and a
/// descriptor per plugin built from its control inputs on first use. Only a worker or a render builds plugin modules;
/// the supervisor knows them as data (from `perpetuo plugins --json --check` in a child process).
/// </summary>
/// <remarks>Any thread; the lock guards the first load and the descriptor cache.</remarks>
public static class Lv2Modules
{
    /// <summary>The prefix of a plugin module type: <c>lv2:http://plugin.org.uk/swh-plugins/plate</c>.</summary>
    public const string Prefix = PluginTypes.Prefix;

    /// <summary>
    /// The parameter a plugin with presets has after its control inputs: the number of the preset it was last set to
    /// (1..N, in the order of `perpetuo plugins URI`; 0 none), setting which applies the whole preset. Not a valid LV2
    /// symbol (the colon), so it can never be a plugin's own.
    /// </summary>
    public const string PresetParam = PluginTypes.PresetParam;

    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, ModuleDescriptor?> Descriptors = new(StringComparer.Ordinal);
    private static Lv2Catalog? s_catalog;
    private static bool s_unavailable;
    private static int s_instantiated;

    /// <summary>
    /// True once this process has instantiated a plugin. From then on its state is not only its modules': a plugin
    /// may keep state outside its instance (the C library's rand(), a static table) that a snapshot cannot carry and
    /// a fresh process starts over, so the host takes no snapshot any more (<see cref="ModuleHost.CanSnapshot"/>),
    /// even once the plugin is removed: a worker joins by replaying, in a fresh process, from before the first plugin.
    /// </summary>
    public static bool AnyInstantiated => Volatile.Read(ref s_instantiated) != 0;

    /// <summary>True when <paramref name="type"/> names a plugin module type.</summary>
    public static bool IsPlugin(string type) => PluginTypes.IsPlugin(type);

    /// <summary>
    /// Loads the LV2 world now, if liblilv is installed (a spare worker, while it waits). A worker otherwise loads
    /// it with the first plugin it builds — on a pool thread, when it saw the plugin coming in its command ring
    /// (ModuleHost.Prebuild), so never inside a block. Nothing happens without liblilv.
    /// </summary>
    public static void Preload()
    {
        lock (Gate)
        {
            _ = CatalogUnsynchronized();
        }
    }

    /// <summary>The descriptor of plugin type <paramref name="type"/>, or null when it is not installed or not supported.</summary>
    internal static ModuleDescriptor? Find(string type)
    {
        lock (Gate)
        {
            if (Descriptors.TryGetValue(type, out ModuleDescriptor? known))
            {
                return known;
            }
            Lv2PluginInfo? info = FindUnsynchronized(type);
            if (info is not { Supported: true })
            {
                return null; // not cached: a name from a record is not trusted to be one of a bounded set
            }
            ModuleDescriptor d = Describe(s_catalog!, info);
            Descriptors[type] = d;
            return d;
        }
    }

    /// <summary>The plugin a full (<c>lv2:URI</c>) or hashed (<c>lv2#…</c>, a record's) type names.</summary>
    private static Lv2PluginInfo? FindUnsynchronized(string type)
    {
        Lv2Catalog? catalog = CatalogUnsynchronized();
        if (catalog == null || !IsPlugin(type))
        {
            return null;
        }
        if (type.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return catalog.Find(type[Prefix.Length..]);
        }
        foreach (string uri in catalog.Uris) // the URIs alone: describing every plugin would read all their data
        {
            if (PluginTypes.Names(type, uri))
            {
                return catalog.Find(uri);
            }
        }
        return null;
    }

    /// <summary>The presets of the plugin of <paramref name="type"/> (full <c>lv2:URI</c>), read once; none without liblilv.</summary>
    internal static IReadOnlyList<Lv2Preset> Presets(string type)
    {
        Lv2Catalog? catalog;
        Lv2PluginInfo? info;
        lock (Gate)
        {
            catalog = CatalogUnsynchronized();
            info = catalog?.Find(type[Prefix.Length..]);
        }
        return catalog != null && info != null ? catalog.Presets(info) : [];
    }

    /// <summary>The process's plugin list (loaded on first use), or null without liblilv.</summary>
    internal static Lv2Catalog? Catalog
    {
        get
        {
            lock (Gate)
            {
                return CatalogUnsynchronized();
            }
        }
    }

    /// <summary>A new instance of the plugin of <paramref name="type"/>. Allocates.</summary>
    /// <exception cref="DspException">liblilv is missing, or the plugin cannot be instantiated.</exception>
    internal static Lv2Plugin Instantiate(string type, in ModuleContext context)
    {
        Lv2Catalog catalog;
        lock (Gate)
        {
            catalog = CatalogUnsynchronized() ?? throw new DspException($"module type \"{type}\": {Lv2UnavailableException.Advice}");
        }
        Volatile.Write(ref s_instantiated, 1);
        try
        {
            // A MIDI input holds every message a segment's notes can become: each event, and for each all-notes-off
            // the note-offs of what sounds (MidiNotes), so no note is ever dropped for want of room.
            int midi = (2 * NoteEventList.CapacityFor(context.MaxBlockFrames)) + 128;
            return catalog.Instantiate(type[Prefix.Length..], context.SampleRate, context.MaxBlockFrames, 0, midi); // the descriptor's: always full
        }
        catch (Lv2Exception e)
        {
            throw new DspException($"module type \"{type}\": {e.Message}", e);
        }
    }

    private static Lv2Catalog? CatalogUnsynchronized()
    {
        if (s_catalog == null && !s_unavailable)
        {
            try
            {
                s_catalog = Lv2Catalog.Load();
            }
            catch (Lv2UnavailableException)
            {
                s_unavailable = true; // no liblilv: plugin types are unknown here, said once per lookup by the caller
            }
        }
        return s_catalog;
    }

    /// <summary>
    /// The plugin's control inputs as parameters, by symbol, in port order, and <see cref="PresetParam"/> after them
    /// when it has presets. Not smoothed: a plugin reads a control once per run, so a value applies from its
    /// command's frame exactly (the block is split there), and a ramp would cost a run per frame; a plugin smooths
    /// its own controls if it needs to.
    /// </summary>
    private static ModuleDescriptor Describe(Lv2Catalog catalog, Lv2PluginInfo info)
    {
        List<ParamDescriptor> ps =
            [.. info.ControlInputs.Select(c => new ParamDescriptor(c.Symbol, c.Min, c.Max, c.Default, c.Name) { Integer = c.IsInteger || c.IsToggled })];
        int presets = catalog.Presets(info).Count;
        if (presets > 0)
        {
            ps.Add(ParamDescriptor.Int(PresetParam, 0, presets, 0, "the preset last applied (perpetuo plugins URI lists them); 0 none"));
        }
        return new(Prefix + info.Uri, info.Name, ps);
    }
}
