using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using Perpetuo.Control.Commands;
using Perpetuo.Control.Osc;
using Perpetuo.Control.Patches;

namespace Perpetuo.Web;

/// <summary>What a page may ask, each mapped to one request of the engine's control port (or the patch directory).</summary>
public enum PageOp
{
    /// <summary>Set a parameter: <c>/perpetuo/param</c>.</summary>
    Param,
    /// <summary>Add a module at the end of the chain: <c>/perpetuo/module/add</c>.</summary>
    Add,
    /// <summary>Remove a module: <c>/perpetuo/module/remove</c>.</summary>
    Remove,
    /// <summary>Lift a module's quarantine: <c>/perpetuo/module/restore</c>.</summary>
    Restore,
    /// <summary>All notes off: <c>/perpetuo/notes/off</c>.</summary>
    Panic,
    /// <summary>Load a patch of the patch directory: <c>/perpetuo/patch/load</c>.</summary>
    Load,
    /// <summary>Save the running graph as a patch in the patch directory (<c>/perpetuo/patch/current</c>, then a file).</summary>
    Save,
    /// <summary>List the patch directory again.</summary>
    Patches,
}

/// <summary>
/// One message of a page, read and checked before anything is sent: <c>{"id":7,"op":"param","module":"filter",
/// "param":"cutoff","value":400}</c>. Everything the engine checks again (a module that exists, a value in range)
/// is left to it; what it could not (a field's type, an id's or name's shape, a length) is refused here.
/// </summary>
public sealed record PageRequest(int Id, PageOp Op)
{
    private const int MaxParamBytes = Perpetuo.Protocol.Limits.MaxNameBytes;

    public string Module { get; init; } = "";

    public string Param { get; init; } = "";

    public float Value { get; init; }

    public string Type { get; init; } = "";

    /// <summary>A patch's file name in the patch directory.</summary>
    public string Name { get; init; } = "";

    /// <summary>Save: replace a patch of that name.</summary>
    public bool Overwrite { get; init; }

    /// <summary>Whether two requests set the same parameter (a later one makes a waiting earlier one useless).</summary>
    public bool SetsSameParamAs(PageRequest other) =>
        Op == PageOp.Param && other?.Op == PageOp.Param && Module == other.Module && Param == other.Param;

    /// <summary>The engine request, for the ops that are one.</summary>
    public OscMessage ToOsc() => Op switch
    {
        PageOp.Param => new OscMessage(ControlAddresses.Param, Module, Param, Value),
        PageOp.Add => new OscMessage(ControlAddresses.ModuleAdd, Type, Module),
        PageOp.Remove => new OscMessage(ControlAddresses.ModuleRemove, Module),
        PageOp.Restore => new OscMessage(ControlAddresses.ModuleRestore, Module),
        PageOp.Panic => new OscMessage(ControlAddresses.NotesOff),
        PageOp.Load => new OscMessage(ControlAddresses.PatchLoad, Name),
        _ => throw new InvalidOperationException($"{Op} is not one engine request"),
    };

    /// <summary>Reads one page message; false with a sentence (and the id when it could be read) when it is not valid.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, WebLimits limits, [NotNullWhen(true)] out PageRequest? request, out int id, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(limits);
        request = null;
        id = 0;
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(utf8.ToArray(), new JsonDocumentOptions { MaxDepth = 4 });
        }
        catch (JsonException)
        {
            error = "not a JSON message";
            return false;
        }
        using (doc)
        {
            JsonElement m = doc.RootElement;
            if (m.ValueKind != JsonValueKind.Object)
            {
                error = "a message is a JSON object";
                return false;
            }
            if (m.TryGetProperty("id", out JsonElement idElement) && (idElement.ValueKind != JsonValueKind.Number || !idElement.TryGetInt32(out id)))
            {
                error = "id must be a whole number";
                return false;
            }
            string? op = OptionalString(m, "op");
            var reader = new Reader(m, limits);
            request = op switch
            {
                "param" => reader.Param(id),
                "add" => reader.Add(id),
                "remove" => reader.WithModule(id, PageOp.Remove),
                "restore" => reader.WithModule(id, PageOp.Restore),
                "panic" => new PageRequest(id, PageOp.Panic),
                "load" => reader.WithPatchName(id, PageOp.Load),
                "save" => reader.Save(id),
                "patches" => new PageRequest(id, PageOp.Patches),
                _ => null,
            };
            error = request == null ? reader.Error ?? $"unknown op; known: param, add, remove, restore, panic, load, save, patches" : null;
            return request != null;
        }
    }

    private static string? OptionalString(JsonElement m, string name) =>
        m.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>Reads the fields of one op, keeping the first problem.</summary>
    private sealed class Reader(JsonElement m, WebLimits limits)
    {
        public string? Error { get; private set; }

        public PageRequest? Param(int id)
        {
            string? module = ModuleId();
            string? param = Text("param", MaxParamBytes);
            if (module == null || param == null)
            {
                return null;
            }
            if (!m.TryGetProperty("value", out JsonElement v) || v.ValueKind != JsonValueKind.Number || !v.TryGetSingle(out float value) || !float.IsFinite(value))
            {
                return Fail("value must be a finite number");
            }
            return new PageRequest(id, PageOp.Param) { Module = module, Param = param, Value = value };
        }

        public PageRequest? Add(int id)
        {
            string? type = Text("type", limits.MaxTypeLength);
            string? module = type == null ? null : ModuleId();
            return module == null ? null : new PageRequest(id, PageOp.Add) { Type = type!, Module = module };
        }

        public PageRequest? WithModule(int id, PageOp op) => ModuleId() is { } module ? new PageRequest(id, op) { Module = module } : null;

        public PageRequest? WithPatchName(int id, PageOp op)
        {
            string? name = Text("name", PatchDirectory.MaxNameLength);
            if (name == null)
            {
                return null;
            }
            return PatchDirectory.CheckName(name) is { } problem ? Fail(problem) : new PageRequest(id, op) { Name = name };
        }

        public PageRequest? Save(int id)
        {
            PageRequest? r = WithPatchName(id, PageOp.Save);
            if (r == null)
            {
                return null;
            }
            if (m.TryGetProperty("overwrite", out JsonElement o) && o.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                return Fail("overwrite must be true or false");
            }
            return r with { Overwrite = o.ValueKind == JsonValueKind.True };
        }

        private string? ModuleId()
        {
            string? id = Text("module", Names.MaxIdBytes);
            return id == null ? null : Names.CheckId(id) is { } problem ? Fail<string>(problem) : id;
        }

        private string? Text(string name, int maxBytes)
        {
            string? s = OptionalString(m, name);
            if (string.IsNullOrEmpty(s))
            {
                return Fail<string>($"{name} must be a non-empty string");
            }
            if (Encoding.UTF8.GetByteCount(s) > maxBytes || s.Any(char.IsControl))
            {
                return Fail<string>($"{name} must be at most {maxBytes} bytes, without control characters");
            }
            return s;
        }

        private PageRequest? Fail(string problem) => Fail<PageRequest>(problem);

        private T? Fail<T>(string problem)
            where T : class
        {
            Error ??= problem;
            return null;
        }
    }
}
