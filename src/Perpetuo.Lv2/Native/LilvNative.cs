using System.Runtime.InteropServices;

namespace Perpetuo.Lv2.Native;

/// <summary>
/// The liblilv-0 calls Perpetuo uses (lilv 0.24 C API). Every lilv object is an opaque <see cref="IntPtr"/>: the
/// project has no <c>unsafe</c>. Control thread only: a LilvWorld is not thread-safe.
/// </summary>
/// <remarks>
/// The versioned name <c>liblilv-0.so.0</c> is what the runtime package liblilv-0-0 installs; only liblilv-dev adds
/// <c>liblilv-0.so</c>. C's <c>bool</c> is one byte: every bool return is marshalled as U1 (the default, a 4-byte
/// BOOL, would read garbage from the upper bytes of the register). Ownership follows lilv.h: functions documented
/// "returned value must be freed by caller" are the ones whose results go to <see cref="NodeFree"/> or
/// <see cref="NodesFree"/>; every other returned pointer belongs to the world.
/// lilv_instance_connect_port/activate/run/deactivate are static inline in lilv.h, so they are not exported:
/// <see cref="Lv2Descriptor"/> calls them through the plugin's LV2_Descriptor.
/// </remarks>
internal static class LilvNative
{
    internal const string Library = "liblilv-0.so.0";

    [DllImport(Library, EntryPoint = "lilv_world_new")]
    internal static extern IntPtr WorldNew();

    [DllImport(Library, EntryPoint = "lilv_world_load_all")]
    internal static extern void WorldLoadAll(IntPtr world);

    /// <summary>Loads one bundle (a directory URI ending in '/'), beside what load_all found.</summary>
    [DllImport(Library, EntryPoint = "lilv_world_load_bundle")]
    internal static extern void WorldLoadBundle(IntPtr world, IntPtr bundleUri);

    /// <summary>A file: URI node for a local path; free with <see cref="NodeFree"/>.</summary>
    [DllImport(Library, EntryPoint = "lilv_new_file_uri")]
    internal static extern IntPtr NewFileUri(IntPtr world, IntPtr host, [MarshalAs(UnmanagedType.LPUTF8Str)] string path);

    [DllImport(Library, EntryPoint = "lilv_world_free")]
    internal static extern void WorldFree(IntPtr world);

    /// <summary>The world's plugin collection (owned by the world).</summary>
    [DllImport(Library, EntryPoint = "lilv_world_get_all_plugins")]
    internal static extern IntPtr WorldGetAllPlugins(IntPtr world);

    [DllImport(Library, EntryPoint = "lilv_plugins_begin")]
    internal static extern IntPtr PluginsBegin(IntPtr plugins);

    [DllImport(Library, EntryPoint = "lilv_plugins_next")]
    internal static extern IntPtr PluginsNext(IntPtr plugins, IntPtr iter);

    [DllImport(Library, EntryPoint = "lilv_plugins_is_end")]
    [return: MarshalAs(UnmanagedType.U1)]
    internal static extern bool PluginsIsEnd(IntPtr plugins, IntPtr iter);

    [DllImport(Library, EntryPoint = "lilv_plugins_get")]
    internal static extern IntPtr PluginsGet(IntPtr plugins, IntPtr iter);

    [DllImport(Library, EntryPoint = "lilv_plugins_get_by_uri")]
    internal static extern IntPtr PluginsGetByUri(IntPtr plugins, IntPtr uri);

    /// <summary>A new URI node; free with <see cref="NodeFree"/>.</summary>
    [DllImport(Library, EntryPoint = "lilv_new_uri")]
    internal static extern IntPtr NewUri(IntPtr world, [MarshalAs(UnmanagedType.LPUTF8Str)] string uri);

    [DllImport(Library, EntryPoint = "lilv_node_free")]
    internal static extern void NodeFree(IntPtr node);

    [DllImport(Library, EntryPoint = "lilv_node_as_uri")]
    internal static extern IntPtr NodeAsUri(IntPtr node);

    [DllImport(Library, EntryPoint = "lilv_node_as_string")]
    internal static extern IntPtr NodeAsString(IntPtr node);

    [DllImport(Library, EntryPoint = "lilv_node_as_float")]
    internal static extern float NodeAsFloat(IntPtr node);

    [DllImport(Library, EntryPoint = "lilv_node_as_int")]
    internal static extern int NodeAsInt(IntPtr node);

    [DllImport(Library, EntryPoint = "lilv_node_is_float")]
    [return: MarshalAs(UnmanagedType.U1)]
    internal static extern bool NodeIsFloat(IntPtr node);

    [DllImport(Library, EntryPoint = "lilv_node_is_int")]
    [return: MarshalAs(UnmanagedType.U1)]
    internal static extern bool NodeIsInt(IntPtr node);

    [DllImport(Library, EntryPoint = "lilv_nodes_begin")]
    internal static extern IntPtr NodesBegin(IntPtr nodes);

    [DllImport(Library, EntryPoint = "lilv_nodes_next")]
    internal static extern IntPtr NodesNext(IntPtr nodes, IntPtr iter);

    [DllImport(Library, EntryPoint = "lilv_nodes_is_end")]
    [return: MarshalAs(UnmanagedType.U1)]
    internal static extern bool NodesIsEnd(IntPtr nodes, IntPtr iter);

    [DllImport(Library, EntryPoint = "lilv_nodes_get")]
    internal static extern IntPtr NodesGet(IntPtr nodes, IntPtr iter);

    [DllImport(Library, EntryPoint = "lilv_nodes_free")]
    internal static extern void NodesFree(IntPtr nodes);

    [DllImport(Library, EntryPoint = "lilv_plugin_get_uri")]
    internal static extern IntPtr PluginGetUri(IntPtr plugin);

    /// <summary>The plugin's doap:name, or NULL; free with <see cref="NodeFree"/>.</summary>
    [DllImport(Library, EntryPoint = "lilv_plugin_get_name")]
    internal static extern IntPtr PluginGetName(IntPtr plugin);

    [DllImport(Library, EntryPoint = "lilv_plugin_get_num_ports")]
    internal static extern uint PluginGetNumPorts(IntPtr plugin);

    [DllImport(Library, EntryPoint = "lilv_plugin_get_port_by_index")]
    internal static extern IntPtr PluginGetPortByIndex(IntPtr plugin, uint index);

    /// <summary>The lv2:requiredFeature URIs; free with <see cref="NodesFree"/>.</summary>
    /// <summary>The URI of the plugin's shared library (owned by lilv).</summary>
    [DllImport(Library, EntryPoint = "lilv_plugin_get_library_uri")]
    internal static extern IntPtr PluginGetLibraryUri(IntPtr plugin);

    /// <summary>The values of <paramref name="predicate"/> for the plugin, or NULL; free with <see cref="NodesFree"/>.</summary>
    [DllImport(Library, EntryPoint = "lilv_plugin_get_value")]
    internal static extern IntPtr PluginGetValue(IntPtr plugin, IntPtr predicate);

    /// <summary>The resources related to a plugin of a class (pset:Preset: its presets), or NULL; free with <see cref="NodesFree"/>.</summary>
    [DllImport(Library, EntryPoint = "lilv_plugin_get_related")]
    internal static extern IntPtr PluginGetRelated(IntPtr plugin, IntPtr type);

    /// <summary>Loads the data files describing a resource (a preset's own file); -1 on error.</summary>
    [DllImport(Library, EntryPoint = "lilv_world_load_resource")]
    internal static extern int WorldLoadResource(IntPtr world, IntPtr resource);

    /// <summary>The first value of subject/predicate in the world, or NULL; free with <see cref="NodeFree"/>.</summary>
    [DllImport(Library, EntryPoint = "lilv_world_get")]
    internal static extern IntPtr WorldGet(IntPtr world, IntPtr subject, IntPtr predicate, IntPtr obj);

    /// <summary><c>LilvState* lilv_state_new_from_world(LilvWorld*, LV2_URID_Map*, const LilvNode* subject)</c>, or NULL.</summary>
    [DllImport(Library, EntryPoint = "lilv_state_new_from_world")]
    internal static extern IntPtr StateNewFromWorld(IntPtr world, IntPtr map, IntPtr subject);

    [DllImport(Library, EntryPoint = "lilv_state_free")]
    internal static extern void StateFree(IntPtr state);

    [DllImport(Library, EntryPoint = "lilv_state_get_num_properties")]
    internal static extern uint StateGetNumProperties(IntPtr state);

    /// <summary>Calls <paramref name="setValue"/> for each port value of the state: (symbol, user, value, size, type URID).</summary>
    [DllImport(Library, EntryPoint = "lilv_state_emit_port_values")]
    internal static extern void StateEmitPortValues(IntPtr state, IntPtr setValue, IntPtr userData);

    /// <summary>
    /// Restores the state's properties into an instance (its state:interface restore, with lilv's own mapPath and
    /// freePath added to <paramref name="features"/>), and its port values through <paramref name="setValue"/> (NULL: not).
    /// </summary>
    [DllImport(Library, EntryPoint = "lilv_state_restore")]
    internal static extern void StateRestore(IntPtr state, IntPtr instance, IntPtr setValue, IntPtr userData, uint flags, IntPtr features);

    /// <summary>The local path of a file: URI (malloc'd by lilv, free with <see cref="Free"/>), or NULL.</summary>
    [DllImport(Library, EntryPoint = "lilv_file_uri_parse")]
    internal static extern IntPtr FileUriParse([MarshalAs(UnmanagedType.LPUTF8Str)] string uri, IntPtr hostname);

    [DllImport(Library, EntryPoint = "lilv_free")]
    internal static extern void Free(IntPtr ptr);

    [DllImport(Library, EntryPoint = "lilv_plugin_get_required_features")]
    internal static extern IntPtr PluginGetRequiredFeatures(IntPtr plugin);

    [DllImport(Library, EntryPoint = "lilv_port_is_a")]
    [return: MarshalAs(UnmanagedType.U1)]
    internal static extern bool PortIsA(IntPtr plugin, IntPtr port, IntPtr portClass);

    [DllImport(Library, EntryPoint = "lilv_port_has_property")]
    [return: MarshalAs(UnmanagedType.U1)]
    internal static extern bool PortHasProperty(IntPtr plugin, IntPtr port, IntPtr property);

    /// <summary>The values of <paramref name="predicate"/> for a port, or NULL; free with <see cref="NodesFree"/>.</summary>
    [DllImport(Library, EntryPoint = "lilv_port_get_value")]
    internal static extern IntPtr PortGetValue(IntPtr plugin, IntPtr port, IntPtr predicate);

    [DllImport(Library, EntryPoint = "lilv_port_supports_event")]
    [return: MarshalAs(UnmanagedType.U1)]
    internal static extern bool PortSupportsEvent(IntPtr plugin, IntPtr port, IntPtr eventType);

    /// <summary>The port's lv2:symbol (owned by the plugin).</summary>
    [DllImport(Library, EntryPoint = "lilv_port_get_symbol")]
    internal static extern IntPtr PortGetSymbol(IntPtr plugin, IntPtr port);

    /// <summary>The port's lv2:name, or NULL; free with <see cref="NodeFree"/>.</summary>
    [DllImport(Library, EntryPoint = "lilv_port_get_name")]
    internal static extern IntPtr PortGetName(IntPtr plugin, IntPtr port);

    /// <summary>lv2:default, lv2:minimum, lv2:maximum, each NULL when absent; free each with <see cref="NodeFree"/>.</summary>
    [DllImport(Library, EntryPoint = "lilv_port_get_range")]
    internal static extern void PortGetRange(IntPtr plugin, IntPtr port, out IntPtr def, out IntPtr min, out IntPtr max);

    /// <summary>
    /// <c>LilvInstance* lilv_plugin_instantiate(const LilvPlugin*, double sample_rate, const LV2_Feature* const* features)</c>:
    /// NULL when the plugin's library cannot be loaded or its instantiate refuses. Free with <see cref="InstanceFree"/>.
    /// </summary>
    [DllImport(Library, EntryPoint = "lilv_plugin_instantiate")]
    internal static extern IntPtr PluginInstantiate(IntPtr plugin, double sampleRate, IntPtr features);

    /// <summary>Calls the descriptor's cleanup and unloads the plugin's library; the world must still be alive.</summary>
    [DllImport(Library, EntryPoint = "lilv_instance_free")]
    internal static extern void InstanceFree(IntPtr instance);

    /// <summary>A C string owned by lilv, as a .NET string ("" for NULL).</summary>
    internal static string Text(IntPtr utf8) => Marshal.PtrToStringUTF8(utf8) ?? string.Empty;

    /// <summary>Reads a node that the caller owns (NULL gives null) and frees it.</summary>
    internal static string? TakeString(IntPtr node)
    {
        if (node == IntPtr.Zero)
        {
            return null;
        }
        try
        {
            return Text(NodeAsString(node));
        }
        finally
        {
            NodeFree(node);
        }
    }

    /// <summary>Reads a numeric node that the caller owns (NULL or not a number gives null) and frees it.</summary>
    internal static float? TakeNumber(IntPtr node)
    {
        if (node == IntPtr.Zero)
        {
            return null;
        }
        try
        {
            return NodeIsFloat(node) || NodeIsInt(node) ? NodeAsFloat(node) : null;
        }
        finally
        {
            NodeFree(node);
        }
    }

    /// <summary>The first of a node collection the caller owns as a number (null when empty or not a number), and frees it.</summary>
    internal static float? TakeFirstNumber(IntPtr nodes) =>
        TakeFirst<float>(nodes, node => NodeIsFloat(node) || NodeIsInt(node) ? NodeAsFloat(node) : null);

    /// <summary>
    /// The first of a node collection the caller owns as a whole number (null when empty or not a number; a float is
    /// rounded up), and frees it. Exact where <see cref="TakeFirstNumber"/> is not: sizes past 2^24.
    /// </summary>
    internal static long? TakeFirstWhole(IntPtr nodes) =>
        TakeFirst<long>(nodes, node => NodeIsInt(node) ? NodeAsInt(node) : NodeIsFloat(node) ? (long)Math.Ceiling(NodeAsFloat(node)) : null);

    /// <summary>What <paramref name="read"/> makes of the first of a node collection the caller owns (null when it is empty), and frees it.</summary>
    private static T? TakeFirst<T>(IntPtr nodes, Func<IntPtr, T?> read)
        where T : struct
    {
        if (nodes == IntPtr.Zero)
        {
            return null;
        }
        try
        {
            IntPtr i = NodesBegin(nodes);
            return NodesIsEnd(nodes, i) ? null : read(NodesGet(nodes, i));
        }
        finally
        {
            NodesFree(nodes);
        }
    }

    /// <summary>The local path of a file: URI, or "".</summary>
    internal static string FilePath(string uri)
    {
        IntPtr path = FileUriParse(uri, IntPtr.Zero);
        if (path == IntPtr.Zero)
        {
            return string.Empty;
        }
        try
        {
            return Text(path);
        }
        finally
        {
            Free(path);
        }
    }

    /// <summary>The URIs of a node collection the caller owns, in lilv's order, and frees it.</summary>
    internal static List<string> TakeUris(IntPtr nodes)
    {
        var result = new List<string>();
        if (nodes == IntPtr.Zero)
        {
            return result;
        }
        try
        {
            for (IntPtr i = NodesBegin(nodes); !NodesIsEnd(nodes, i); i = NodesNext(nodes, i))
            {
                result.Add(Text(NodeAsString(NodesGet(nodes, i))));
            }
        }
        finally
        {
            NodesFree(nodes);
        }
        return result;
    }
}
