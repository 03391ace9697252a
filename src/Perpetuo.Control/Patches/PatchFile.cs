using System.Globalization;
using System.Text.Json;

// Why patch files are walked as a JsonDocument here, not deserialized by a source-generated JsonSerializerContext
// like ModulesJsonContext and StatusJsonContext (which only write): tried with .NET 10's generator on DTOs
// (modules: List, params: Dictionary<string, float>), it would cost the errors their quality and change what is
// accepted.
// - A syntax error and a wrong-shaped field are both one JsonException, told apart only by its InnerException's
//   type (an internal JsonReaderException versus InvalidOperationException): `{"type": SECRET` gives path
//   $.modules[0].type like `{"type": 5}` does. Here JsonDocument.Parse fails on syntax alone, so "not valid JSON
//   at line L, byte B" and "modules[0].type: required, must be a non-empty string" stay separate messages.
// - A bad parameter value is "could not be converted to System.Single": the "got a string" / "got true" / "got
//   1e39" of Describe would be lost, and 1e39 deserializes as Infinity, to be caught later without its text.
// - Duplicate keys change meaning: the Dictionary keeps the last "freq" (or, with AllowDuplicateProperties off,
//   rejects the file), where this parser keeps every parameter in file order, as ModuleSpec.Params promises.
// The generator's reason to exist (no reflection, AOT-safe) does not apply: JsonDocument uses none. Parsing a
// patch is not hot either (once per load, bounded by PatchFileReader and Limits). PatchFileTests pins the
// messages this keeps.

namespace Perpetuo.Control.Patches;

/// <summary>
/// Reads and writes patch JSON: <c>{"modules": [{"type": "osc", "id": "lead", "params": {"freq": 440}}]}</c>; an LV2
/// plugin module may also have a <c>"preset"</c> (its URI or number) and a <c>"state"</c> (its own state, an object).
/// </summary>
/// <remarks>Structure only; <see cref="PatchValidator"/> checks types, parameters and ranges against a catalog.</remarks>
public static class PatchFile
{
    /// <summary>
    /// Loads a patch file (read by <see cref="PatchFileReader"/>: a bounded regular file); every problem is a
    /// <see cref="PatchException"/> naming the file and field.
    /// </summary>
    public static PatchSpec Load(string path) => Parse(PatchFileReader.Read(path), path);

    /// <summary>Parses patch JSON; <paramref name="source"/> names it in errors.</summary>
    public static PatchSpec Parse(string json, string source = "patch")
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            // Not e.Message: it quotes the offending characters, and the text may be any file (see PatchFileReader).
            throw new PatchException($"{source}: not valid JSON at line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1} of the line", e);
        }
        using (doc)
        {
            JsonElement root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("modules", out JsonElement modules))
            {
                throw new PatchException($"{source}: expected an object with a \"modules\" array");
            }
            if (modules.ValueKind != JsonValueKind.Array)
            {
                throw new PatchException($"{source}: \"modules\" must be an array");
            }
            var list = new List<ModuleSpec>();
            int i = 0;
            foreach (JsonElement m in modules.EnumerateArray())
            {
                list.Add(ParseModule(m, $"{source}: modules[{i}]"));
                i++;
            }
            return new PatchSpec(list);
        }
    }

    /// <summary>Serialises a patch in the same format.</summary>
    public static string ToJson(PatchSpec patch)
    {
        ArgumentNullException.ThrowIfNull(patch);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteStartArray("modules");
            foreach (ModuleSpec m in patch.Modules)
            {
                w.WriteStartObject();
                w.WriteString("type", m.Type);
                w.WriteString("id", m.Id);
                if (m.Preset != null)
                {
                    w.WriteString("preset", m.Preset);
                }
                w.WriteStartObject("params");
                foreach (var p in m.Params)
                {
                    w.WriteNumber(p.Key, p.Value);
                }
                w.WriteEndObject();
                if (m.State != null)
                {
                    w.WritePropertyName("state");
                    w.WriteRawValue(m.State, skipInputValidation: false);
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>
    /// FNV-1a (32 bits) of the text's UTF-8 bytes: the hash `/perpetuo/patch/current` sends with each part, so parts of
    /// two different graphs are never joined into one patch.
    /// </summary>
    public static uint Hash(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        uint h = 2166136261;
        foreach (byte b in System.Text.Encoding.UTF8.GetBytes(json))
        {
            h = (h ^ b) * 16777619;
        }
        return h;
    }

    private static ModuleSpec ParseModule(JsonElement m, string where)
    {
        if (m.ValueKind != JsonValueKind.Object)
        {
            throw new PatchException($"{where}: expected an object with \"type\", \"id\" and \"params\"");
        }
        string type = RequireString(m, "type", where);
        string id = RequireString(m, "id", where);
        var ps = new List<KeyValuePair<string, float>>();
        if (m.TryGetProperty("params", out JsonElement p))
        {
            if (p.ValueKind != JsonValueKind.Object)
            {
                throw new PatchException($"{where}.params: must be an object of name: number");
            }
            foreach (JsonProperty prop in p.EnumerateObject())
            {
                if (prop.Value.ValueKind != JsonValueKind.Number || !prop.Value.TryGetSingle(out float v) || !float.IsFinite(v))
                {
                    throw new PatchException($"{where}.params.{prop.Name}: must be a finite number, got {Describe(prop.Value)}");
                }
                ps.Add(new(prop.Name, v));
            }
        }
        return new ModuleSpec(type, id, ps) { Preset = OptionalString(m, "preset", where), State = OptionalObject(m, "state", where) };
    }

    private static string? OptionalString(JsonElement m, string name, string where)
    {
        if (!m.TryGetProperty(name, out JsonElement v))
        {
            return null;
        }
        return v.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(v.GetString())
            ? v.GetString()
            : throw new PatchException($"{where}.{name}: must be a non-empty string, got {Describe(v)}");
    }

    /// <summary>An object field kept as its JSON text (a plugin's state: the workers read it).</summary>
    private static string? OptionalObject(JsonElement m, string name, string where)
    {
        if (!m.TryGetProperty(name, out JsonElement v))
        {
            return null;
        }
        return v.ValueKind == JsonValueKind.Object ? v.GetRawText() : throw new PatchException($"{where}.{name}: must be an object, got {Describe(v)}");
    }

    private static string RequireString(JsonElement m, string name, string where)
    {
        if (!m.TryGetProperty(name, out JsonElement v) || v.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(v.GetString()))
        {
            throw new PatchException($"{where}.{name}: required, must be a non-empty string");
        }
        return v.GetString()!;
    }

    // The kind of a bad value, or the number itself: never the raw text of a string, which could be anything.
    private static string Describe(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.Number => v.GetRawText().Length <= 32 ? v.GetRawText() : "a number out of range",
        _ => v.GetRawText(), // true, false, null
    };

    internal static string Format(float v) => v.ToString("R", CultureInfo.InvariantCulture);
}
