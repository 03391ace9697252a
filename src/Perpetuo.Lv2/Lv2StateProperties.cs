using System.Runtime.InteropServices;
using Perpetuo.Protocol;

namespace Perpetuo.Lv2;

/// <summary>
/// A plugin's own state as LV2 State sees it: properties, each a key, a typed value and flags, in the order the
/// plugin stored them. What a save collects (<see cref="Store"/>) and what a restore hands back (<see cref="Retrieve"/>,
/// from pinned copies that live until the restore returns). At most <see cref="Limits.PluginStateBytes"/> of values.
/// </summary>
/// <remarks>Control thread (a build, a render's end); the callbacks run inside the plugin's save or restore.</remarks>
internal sealed class Lv2StateProperties
{
    internal const uint IsPod = 1;
    internal const uint IsPortable = 2;
    private const int ErrorNoSpace = 6;

    private readonly Lv2UridMap _map;
    private readonly List<Property> _properties = [];
    private int _bytes;

    internal Lv2StateProperties(Lv2UridMap map) => _map = map;

    /// <summary>The properties, in order.</summary>
    internal IReadOnlyList<Property> Properties => _properties;

    /// <summary>Adds a property (a restore's input); false when the values would pass <see cref="Limits.PluginStateBytes"/>.</summary>
    internal bool TryAdd(string key, string type, byte[] value)
    {
        if (_bytes + value.Length > Limits.PluginStateBytes)
        {
            return false;
        }
        _bytes += value.Length;
        _properties.Add(new Property(key, type, _map.Map(key), _map.Map(type), GC.AllocateArray<byte>(value.Length, pinned: true)));
        value.CopyTo(_properties[^1].Value, 0);
        return true;
    }

    /// <summary>store(): keeps a copy of the value; LV2_STATE_ERR_NO_SPACE past the limit.</summary>
    internal int Store(uint key, IntPtr value, nuint size, uint type, uint flags)
    {
        string? k = _map.Unmap(key);
        string? t = _map.Unmap(type);
        if (k == null || t == null || value == IntPtr.Zero || size == 0 || size > (nuint)(Limits.PluginStateBytes - _bytes))
        {
            return ErrorNoSpace;
        }
        var bytes = new byte[(int)size];
        Marshal.Copy(value, bytes, 0, bytes.Length);
        _ = flags;
        return TryAdd(k, t, bytes) ? 0 : ErrorNoSpace;
    }

    /// <summary>retrieve(): the value stored under <paramref name="key"/> (the last one), or NULL.</summary>
    internal IntPtr Retrieve(uint key, IntPtr size, IntPtr type, IntPtr flags)
    {
        for (int i = _properties.Count - 1; i >= 0; i--)
        {
            Property p = _properties[i];
            if (p.KeyUrid != key)
            {
                continue;
            }
            if (size != IntPtr.Zero)
            {
                Marshal.WriteIntPtr(size, p.Value.Length);
            }
            if (type != IntPtr.Zero)
            {
                Marshal.WriteInt32(type, (int)p.TypeUrid);
            }
            if (flags != IntPtr.Zero)
            {
                Marshal.WriteInt32(flags, (int)(IsPod | IsPortable));
            }
            return Marshal.UnsafeAddrOfPinnedArrayElement(p.Value, 0);
        }
        return IntPtr.Zero;
    }

    /// <summary>One property: its key and type as URIs and as this process's URIDs, and its value's bytes (pinned).</summary>
    internal sealed record Property(string Key, string Type, uint KeyUrid, uint TypeUrid, byte[] Value);
}
