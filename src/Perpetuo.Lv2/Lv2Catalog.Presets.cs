using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Perpetuo.Lv2.Native;
using Perpetuo.Protocol;

namespace Perpetuo.Lv2;

public sealed partial class Lv2Catalog
{
    /// <summary>
    /// Reads a plugin's presets from the world's data (no plugin code runs): each preset's file is loaded, its label
    /// read, and its state built by lilv to emit its port values and count its other properties. Control thread only.
    /// </summary>
    private static class PresetReader
    {
        private static readonly IntPtr SetValueFunction = Of(nameof(SetValue));

        /// <summary>The presets of <paramref name="plugin"/>, in order of URI, numbered from 1.</summary>
        internal static List<Lv2Preset> Read(IntPtr world, IntPtr plugin, IntPtr presetClass, IntPtr label, IntPtr mapFeature, Lv2UridMap map)
        {
            var uris = new List<(string Uri, IntPtr Node)>();
            IntPtr related = LilvNative.PluginGetRelated(plugin, presetClass);
            if (related == IntPtr.Zero)
            {
                return [];
            }
            try
            {
                for (IntPtr i = LilvNative.NodesBegin(related); !LilvNative.NodesIsEnd(related, i); i = LilvNative.NodesNext(related, i))
                {
                    IntPtr node = LilvNative.NodesGet(related, i);
                    uris.Add((LilvNative.Text(LilvNative.NodeAsUri(node)), node));
                }
                uris.Sort((a, b) => string.CompareOrdinal(a.Uri, b.Uri));
                var presets = new List<Lv2Preset>();
                foreach ((string uri, IntPtr node) in uris.Take(Limits.PluginPresets))
                {
                    _ = LilvNative.WorldLoadResource(world, node);
                    string name = LilvNative.TakeString(LilvNative.WorldGet(world, node, label, IntPtr.Zero)) ?? "";
                    (List<KeyValuePair<string, float>> values, bool hasState) = Describe(world, node, mapFeature, map);
                    presets.Add(new Lv2Preset(presets.Count + 1, uri, name, values, hasState));
                }
                return presets;
            }
            finally
            {
                LilvNative.NodesFree(related);
            }
        }

        private static (List<KeyValuePair<string, float>> Values, bool HasState) Describe(IntPtr world, IntPtr preset, IntPtr mapFeature, Lv2UridMap map)
        {
            var values = new PortValues(map);
            IntPtr state = LilvNative.StateNewFromWorld(world, mapFeature, preset);
            if (state == IntPtr.Zero)
            {
                return (values.Values, false);
            }
            GCHandle handle = GCHandle.Alloc(values);
            try
            {
                LilvNative.StateEmitPortValues(state, SetValueFunction, GCHandle.ToIntPtr(handle));
                return (values.Values, LilvNative.StateGetNumProperties(state) > 0);
            }
            finally
            {
                handle.Free();
                LilvNative.StateFree(state);
            }
        }

        /// <summary>
        /// <c>void set_value(const char* symbol, void* user_data, const void* value, uint32_t size, uint32_t type)</c>:
        /// a port value of a float, double, int, long or bool atom, as a float (others are skipped).
        /// </summary>
        [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
        private static void SetValue(IntPtr symbol, IntPtr user, IntPtr value, uint size, uint type)
        {
            try
            {
                if (GCHandle.FromIntPtr(user).Target is PortValues values && symbol != IntPtr.Zero && value != IntPtr.Zero)
                {
                    values.Add(Marshal.PtrToStringUTF8(symbol) ?? "", value, size, type);
                }
            }
#pragma warning disable CA1031 // nothing may unwind into lilv's C frames
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }

        /// <summary>The port values of one preset, as lilv emits them, with the atom types they may come in.</summary>
        private sealed class PortValues(Lv2UridMap map)
        {
            private readonly uint _float = map.Map(Lv2Uris.AtomFloat);
            private readonly uint _double = map.Map(Lv2Uris.AtomDouble);
            private readonly uint _int = map.Map(Lv2Uris.AtomInt);
            private readonly uint _long = map.Map(Lv2Uris.AtomLong);
            private readonly uint _bool = map.Map(Lv2Uris.AtomBool);

            public List<KeyValuePair<string, float>> Values { get; } = [];

            public void Add(string symbol, IntPtr value, uint size, uint type)
            {
                float? v = (size, type) switch
                {
                    (4, _) when type == _float => BitConverter.Int32BitsToSingle(Marshal.ReadInt32(value)),
                    (4, _) when type == _int || type == _bool => Marshal.ReadInt32(value),
                    (8, _) when type == _double => (float)BitConverter.Int64BitsToDouble(Marshal.ReadInt64(value)),
                    (8, _) when type == _long => Marshal.ReadInt64(value),
                    _ => null,
                };
                if (v is { } f && float.IsFinite(f))
                {
                    Values.Add(new(symbol, f));
                }
            }
        }

        private static IntPtr Of(string name) => Native.FunctionPointers.Of(typeof(PresetReader), name);
    }
}
