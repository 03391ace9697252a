using System.Text.Json;
using Perpetuo.Control.Catalog;

namespace Perpetuo.Web;

/// <summary>
/// What a page may add, and how to draw each parameter: every built-in module type and every installed plugin
/// (hostable or not, with why not), as data given by the CLI (the web process loads no DSP code and no plugin).
/// </summary>
public sealed class WebCatalog(IReadOnlyList<CatalogEntry> entries)
{
    /// <summary>The entries: built-ins first, then plugins.</summary>
    public IReadOnlyList<CatalogEntry> Entries { get; } = entries;

    /// <summary>The catalog as the page reads it (<c>GET /api/catalog</c>).</summary>
    public string ToJson() => WebJson.Write(w =>
    {
        w.WriteStartArray("types");
        foreach (CatalogEntry e in Entries)
        {
            w.WriteStartObject();
            w.WriteString("type", e.Type);
            w.WriteString("name", e.Name);
            w.WriteString("description", e.Description);
            w.WriteBoolean("plugin", e.Plugin);
            if (e.Refusal != null)
            {
                w.WriteString("refusal", e.Refusal);
            }
            w.WriteStartArray("params");
            foreach (ParamInfo p in e.Params)
            {
                WriteParam(w, p);
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
    });

    private static void WriteParam(Utf8JsonWriter w, ParamInfo p)
    {
        w.WriteStartObject();
        w.WriteString("name", p.Name);
        w.WriteNumber("min", p.Min);
        w.WriteNumber("max", p.Max);
        w.WriteNumber("default", p.Default);
        w.WriteString("description", p.Description);
        w.WriteBoolean("integer", p.Integer);
        w.WriteBoolean("toggle", p.Toggle);
        w.WriteBoolean("enumeration", p.Enumeration);
        if (p.Labels != null)
        {
            w.WriteStartArray("labels");
            foreach (string l in p.Labels)
            {
                w.WriteStringValue(l);
            }
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }
}

/// <summary>One module type a page may add: its type, a name to show and search, and its parameters; or why it cannot be added.</summary>
public sealed record CatalogEntry(string Type, string Name, string Description, bool Plugin, string? Refusal, IReadOnlyList<ParamInfo> Params);
