using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Perpetuo.Lv2.Native;

namespace Perpetuo.Lv2;

/// <summary>
/// A plugin's own state (the LV2 State interface: what a plugin keeps beyond its parameters, such as the impulse
/// response a convolver loaded) as JSON, the form a patch holds it in:
/// <c>{"KEY-URI": {"type": "TYPE-URI", "value": ...}, ...}</c>, in the order the plugin stored its properties.
/// </summary>
/// <remarks>
/// Values by atom type: String, Path and URI a JSON string (a path absolute, as the plugin uses it); URID the URI it
/// stands for (ids differ between processes, URIs do not); Int and Long a whole number; Float and Double a number;
/// Bool true or false; any other type (a Chunk, a Vector) its bytes as <c>"base64"</c> instead of <c>"value"</c>.
/// Every property is restored as plain old, portable data. The values together are at most
/// <see cref="Perpetuo.Protocol.Limits.PluginStateBytes"/>; JSON that is not such an object is refused with where it
/// goes wrong. Control thread, between runs (a module's build, the end of a render).
/// </remarks>
public static class Lv2State
{
    private const uint SaveFlags = Lv2StateProperties.IsPod | Lv2StateProperties.IsPortable;

    /// <summary>The plugin's state, saved through its state interface, as JSON.</summary>
    /// <exception cref="Lv2Exception">It has no state interface, or its save failed or stored more than the limit.</exception>
    public static string Save(Lv2Plugin plugin)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        StateInterface state = plugin.StateInterface ?? throw new Lv2Exception($"LV2 plugin {plugin.Info.Uri} has no state of its own (no state interface)");
        var properties = new Lv2StateProperties(plugin.UridMap);
        int status = Call(properties, h => state.Save(plugin.Handle, StateCallbacks.StoreFunction, h, SaveFlags, plugin.FeatureArray));
        if (status != 0)
        {
            throw new Lv2Exception($"LV2 plugin {plugin.Info.Uri} could not save its state (status {status}: " +
                                   $"{(status == 6 ? $"more than {Perpetuo.Protocol.Limits.PluginStateBytes} bytes" : "its own error")})");
        }
        return ToJson(properties, plugin.UridMap);
    }

    /// <summary>Restores the state <paramref name="json"/> describes (what <see cref="Save"/> wrote) into the plugin.</summary>
    /// <exception cref="Lv2Exception">The JSON is not a state, passes the limit, the plugin has no state interface or refused it.</exception>
    public static void Restore(Lv2Plugin plugin, string json)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        ArgumentNullException.ThrowIfNull(json);
        StateInterface state = plugin.StateInterface ?? throw new Lv2Exception($"LV2 plugin {plugin.Info.Uri} has no state of its own (no state interface)");
        Lv2StateProperties properties = FromJson(json, plugin.UridMap);
        int status = Call(properties, h => state.Restore(plugin.Handle, StateCallbacks.RetrieveFunction, h, 0, plugin.FeatureArray));
        if (status != 0)
        {
            throw new Lv2Exception($"LV2 plugin {plugin.Info.Uri} refused the state it was given (status {status})");
        }
    }

    private static int Call(Lv2StateProperties properties, Func<IntPtr, int> call)
    {
        GCHandle handle = GCHandle.Alloc(properties);
        try
        {
            return call(GCHandle.ToIntPtr(handle));
        }
        finally
        {
            handle.Free();
        }
    }

    private static string ToJson(Lv2StateProperties properties, Lv2UridMap map)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            foreach (Lv2StateProperties.Property p in properties.Properties)
            {
                w.WriteStartObject(p.Key);
                w.WriteString("type", p.Type);
                WriteValue(w, p, map);
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteValue(Utf8JsonWriter w, Lv2StateProperties.Property p, Lv2UridMap map)
    {
        byte[] v = p.Value;
        switch (p.Type)
        {
            case Lv2Uris.AtomString or Lv2Uris.AtomPath or Lv2Uris.AtomUri:
                w.WriteString("value", Encoding.UTF8.GetString(v, 0, Math.Max(0, Array.IndexOf(v, (byte)0) is var nul && nul >= 0 ? nul : v.Length)));
                return;
            case Lv2Uris.AtomUrid when v.Length == 4 && map.Unmap(BinaryPrimitives.ReadUInt32LittleEndian(v)) is { } uri:
                w.WriteString("value", uri);
                return;
            case Lv2Uris.AtomInt when v.Length == 4:
                w.WriteNumber("value", BinaryPrimitives.ReadInt32LittleEndian(v));
                return;
            case Lv2Uris.AtomLong when v.Length == 8:
                w.WriteNumber("value", BinaryPrimitives.ReadInt64LittleEndian(v));
                return;
            case Lv2Uris.AtomFloat when v.Length == 4 && float.IsFinite(BinaryPrimitives.ReadSingleLittleEndian(v)):
                w.WriteNumber("value", BinaryPrimitives.ReadSingleLittleEndian(v));
                return;
            case Lv2Uris.AtomDouble when v.Length == 8 && double.IsFinite(BinaryPrimitives.ReadDoubleLittleEndian(v)):
                w.WriteNumber("value", BinaryPrimitives.ReadDoubleLittleEndian(v));
                return;
            case Lv2Uris.AtomBool when v.Length == 4:
                w.WriteBoolean("value", BinaryPrimitives.ReadInt32LittleEndian(v) != 0);
                return;
            default:
                w.WriteString("base64", Convert.ToBase64String(v));
                return;
        }
    }

    private static Lv2StateProperties FromJson(string json, Lv2UridMap map)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new Lv2Exception($"a plugin state must be a JSON object: not valid JSON at line {e.LineNumber + 1}", e);
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new Lv2Exception("a plugin state must be a JSON object of KEY-URI: {\"type\": TYPE-URI, \"value\": ...}");
            }
            var properties = new Lv2StateProperties(map);
            foreach (JsonProperty p in doc.RootElement.EnumerateObject())
            {
                (string type, byte[] value) = Decode(p, map);
                if (!properties.TryAdd(p.Name, type, value))
                {
                    throw new Lv2Exception($"a plugin state holds at most {Perpetuo.Protocol.Limits.PluginStateBytes} bytes of values; {p.Name} passes it");
                }
            }
            return properties;
        }
    }

    private static (string Type, byte[] Value) Decode(JsonProperty p, Lv2UridMap map)
    {
        string where = $"plugin state property {p.Name}";
        if (p.Value.ValueKind != JsonValueKind.Object || !p.Value.TryGetProperty("type", out JsonElement t) || t.ValueKind != JsonValueKind.String)
        {
            throw new Lv2Exception($"{where}: must be an object with a \"type\" (an atom type URI)");
        }
        string type = t.GetString()!;
        if (p.Value.TryGetProperty("base64", out JsonElement b64) && b64.ValueKind == JsonValueKind.String)
        {
            try
            {
                return (type, NonEmpty(Convert.FromBase64String(b64.GetString()!), where));
            }
            catch (FormatException e)
            {
                throw new Lv2Exception($"{where}: \"base64\" is not base64", e);
            }
        }
        if (!p.Value.TryGetProperty("value", out JsonElement v))
        {
            throw new Lv2Exception($"{where}: needs a \"value\" (or \"base64\")");
        }
        byte[] bytes = type switch
        {
            Lv2Uris.AtomString or Lv2Uris.AtomPath or Lv2Uris.AtomUri when v.ValueKind == JsonValueKind.String =>
                [.. Encoding.UTF8.GetBytes(v.GetString()!), 0],
            Lv2Uris.AtomUrid when v.ValueKind == JsonValueKind.String => Le32(map.Map(v.GetString()!)),
            Lv2Uris.AtomInt when v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int i) => Le32((uint)i),
            Lv2Uris.AtomLong when v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out long l) => BitConverter.GetBytes(l),
            Lv2Uris.AtomFloat when v.ValueKind == JsonValueKind.Number && v.TryGetSingle(out float f) && float.IsFinite(f) => BitConverter.GetBytes(f),
            Lv2Uris.AtomDouble when v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out double d) && double.IsFinite(d) => BitConverter.GetBytes(d),
            Lv2Uris.AtomBool when v.ValueKind is JsonValueKind.True or JsonValueKind.False => Le32(v.GetBoolean() ? 1u : 0u),
            _ => throw new Lv2Exception(string.Create(CultureInfo.InvariantCulture,
                $"{where}: a \"value\" of JSON kind {v.ValueKind} is not one of type {type} (for other types give \"base64\")")),
        };
        return (type, bytes);
    }

    private static byte[] NonEmpty(byte[] value, string where) =>
        value.Length > 0 ? value : throw new Lv2Exception($"{where}: an LV2 state value is never empty");

    private static byte[] Le32(uint v)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, v);
        return b;
    }
}
