using Perpetuo.Lv2.Native;

namespace Perpetuo.Lv2;

public sealed partial class Lv2Catalog
{
    /// <summary>Reads a plugin of a loaded world into an <see cref="Lv2PluginInfo"/> record. Under the catalog's world lock.</summary>
    private sealed class Scanner : IDisposable
    {
        private readonly IntPtr world;
        private readonly List<IntPtr> nodes = [];
        private readonly IntPtr input, audio, control, cv, atom, ev, optional, integer, toggled, enumeration, midi, minor, micro;
        private readonly IntPtr minimumSize, bufferType, reportsLatency, designation, defaultState;

        internal Scanner(IntPtr world)
        {
            this.world = world;
            input = Uri(Lv2Uris.InputPort);
            audio = Uri(Lv2Uris.AudioPort);
            control = Uri(Lv2Uris.ControlPort);
            cv = Uri(Lv2Uris.CVPort);
            atom = Uri(Lv2Uris.AtomPort);
            ev = Uri(Lv2Uris.EventPort);
            optional = Uri(Lv2Uris.ConnectionOptional);
            integer = Uri(Lv2Uris.Integer);
            toggled = Uri(Lv2Uris.Toggled);
            enumeration = Uri(Lv2Uris.Enumeration);
            midi = Uri(Lv2Uris.MidiEvent);
            minor = Uri(Lv2Uris.MinorVersion);
            micro = Uri(Lv2Uris.MicroVersion);
            minimumSize = Uri(Lv2Uris.MinimumSize);
            bufferType = Uri(Lv2Uris.AtomBufferType);
            reportsLatency = Uri(Lv2Uris.ReportsLatency);
            designation = Uri(Lv2Uris.Designation);
            defaultState = Uri(Lv2Uris.StateState);
        }

        /// <summary>
        /// Every plugin of the world by URI (its LilvPlugin*, owned by the world): from the manifests alone, milliseconds;
        /// no plugin's data is read for it (lilv reads it on first use).
        /// </summary>
        internal static Dictionary<string, IntPtr> List(IntPtr world)
        {
            var result = new Dictionary<string, IntPtr>(StringComparer.Ordinal);
            IntPtr plugins = LilvNative.WorldGetAllPlugins(world);
            for (IntPtr i = LilvNative.PluginsBegin(plugins); !LilvNative.PluginsIsEnd(plugins, i); i = LilvNative.PluginsNext(plugins, i))
            {
                IntPtr plugin = LilvNative.PluginsGet(plugins, i);
                result[LilvNative.Text(LilvNative.NodeAsUri(LilvNative.PluginGetUri(plugin)))] = plugin;
            }
            return result;
        }

        /// <summary>
        /// One plugin's description: lilv reads its data files the first time (tens of milliseconds for a large one; every
        /// installed plugin's, seconds).
        /// </summary>
        internal Lv2PluginInfo Describe(IntPtr plugin) => Plugin(plugin);

        public void Dispose()
        {
            foreach (IntPtr n in nodes)
            {
                LilvNative.NodeFree(n);
            }
            nodes.Clear();
        }

        private Lv2PluginInfo Plugin(IntPtr plugin)
        {
            string uri = LilvNative.Text(LilvNative.NodeAsUri(LilvNative.PluginGetUri(plugin)));
            string name = LilvNative.TakeString(LilvNative.PluginGetName(plugin)) ?? string.Empty;
            var ports = new List<Lv2Port>();
            var controls = new List<Lv2ControlInput>();
            uint count = LilvNative.PluginGetNumPorts(plugin);
            for (uint index = 0; index < count; index++)
            {
                IntPtr port = LilvNative.PluginGetPortByIndex(plugin, index);
                Lv2Port p = Port(plugin, port, (int)index);
                ports.Add(p);
                if (p.Type == Lv2PortType.Control && p.IsInput)
                {
                    controls.Add(Control(plugin, port, p));
                }
            }
            List<string> features = LilvNative.TakeUris(LilvNative.PluginGetRequiredFeatures(plugin));
            (bool supported, string reason) = Lv2Support.Decide(features, ports);
            float? minorVersion = LilvNative.TakeFirstNumber(LilvNative.PluginGetValue(plugin, minor));
            float? microVersion = LilvNative.TakeFirstNumber(LilvNative.PluginGetValue(plugin, micro));
            IntPtr library = LilvNative.PluginGetLibraryUri(plugin);
            return new Lv2PluginInfo(uri, name, ports, controls, features, supported, reason)
            {
                Version = minorVersion is { } v ? $"{v:0}.{microVersion ?? 0:0}" : "",
                Library = library == IntPtr.Zero ? "" : LilvNative.FilePath(LilvNative.Text(LilvNative.NodeAsUri(library))),
                HasDefaultState = LilvNative.TakeUris(LilvNative.PluginGetValue(plugin, defaultState)).Count > 0
                                  || features.Contains(Lv2Uris.StateLoadDefaultState, StringComparer.Ordinal),
            };
        }

        private Lv2Port Port(IntPtr plugin, IntPtr port, int index)
        {
            Lv2PortType type = Is(plugin, port, audio) ? Lv2PortType.Audio
                : Is(plugin, port, control) ? Lv2PortType.Control
                : Is(plugin, port, cv) ? Lv2PortType.CV
                : Is(plugin, port, atom) ? Lv2PortType.Atom
                : Is(plugin, port, ev) ? Lv2PortType.Event
                : Lv2PortType.Other;
            bool supportsMidi = type is Lv2PortType.Atom or Lv2PortType.Event && LilvNative.PortSupportsEvent(plugin, port, midi);
            bool isInput = Is(plugin, port, input);
            List<string> buffers = type == Lv2PortType.Atom ? LilvNative.TakeUris(LilvNative.PortGetValue(plugin, port, bufferType)) : [];
            return new Lv2Port(
                index,
                LilvNative.Text(LilvNative.NodeAsString(LilvNative.PortGetSymbol(plugin, port))),
                LilvNative.TakeString(LilvNative.PortGetName(plugin, port)) ?? string.Empty,
                type,
                isInput,
                LilvNative.PortHasProperty(plugin, port, optional),
                supportsMidi)
            {
                MinimumSize = Math.Max(0, LilvNative.TakeFirstWhole(LilvNative.PortGetValue(plugin, port, minimumSize)) ?? 0),
                IsSequence = buffers.Count == 0 || buffers.Contains(Lv2Uris.AtomSequence, StringComparer.Ordinal),
                ReportsLatency = type == Lv2PortType.Control && !isInput
                    && (LilvNative.PortHasProperty(plugin, port, reportsLatency)
                        || LilvNative.TakeUris(LilvNative.PortGetValue(plugin, port, designation)).Contains(Lv2Uris.Latency, StringComparer.Ordinal)),
            };
        }

        private Lv2ControlInput Control(IntPtr plugin, IntPtr port, Lv2Port p)
        {
            LilvNative.PortGetRange(plugin, port, out IntPtr def, out IntPtr min, out IntPtr max);
            float? d = LilvNative.TakeNumber(def);
            float? lo = LilvNative.TakeNumber(min);
            float? hi = LilvNative.TakeNumber(max);
            (float Min, float Max, float Default) range = Lv2Support.Range(lo, hi, d);
            return new Lv2ControlInput(
                p.Index, p.Symbol, p.Name, range.Min, range.Max, range.Default,
                LilvNative.PortHasProperty(plugin, port, integer),
                LilvNative.PortHasProperty(plugin, port, toggled),
                LilvNative.PortHasProperty(plugin, port, enumeration));
        }

        private static bool Is(IntPtr plugin, IntPtr port, IntPtr portClass) => LilvNative.PortIsA(plugin, port, portClass);

        private IntPtr Uri(string uri)
        {
            IntPtr node = LilvNative.NewUri(world, uri);
            nodes.Add(node);
            return node;
        }
    }
}
