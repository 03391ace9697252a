using System.Globalization;
using System.Text.Json;
using Perpetuo.Control.Patches;
using Perpetuo.Protocol;

namespace Perpetuo.Control.Midi;

/// <summary>
/// Which MIDI controllers (and the pitch bend) set which parameters: the file given to <c>play --midi-map</c>.
/// Notes need no map: note on/off play every module that takes notes, and controllers 120 and 123 are all-notes-off.
/// </summary>
/// <remarks>
/// The file: <c>{"cc": {"74": {"module": "filter", "param": "cutoff", "min": 200, "max": 8000}}, "bend": {...}}</c>.
/// Read like a patch file (a bounded regular file, <see cref="PatchFileReader"/>), parsed by a source-generated
/// serializer, every field checked: a wrong map is an error at start, never a surprise while playing. A target
/// module that is not in the chain when the controller moves is ignored by the DSP host, as an OSC command for it
/// would be.
/// </remarks>
public sealed class MidiMap
{
    private readonly MidiTarget?[] _controllers = new MidiTarget?[128];

    private MidiMap()
    {
    }

    /// <summary>No controller mapped: notes only.</summary>
    public static MidiMap Empty { get; } = new();

    /// <summary>The pitch bend's target, if mapped.</summary>
    public MidiTarget? Bend { get; private init; }

    /// <summary>How many controllers are mapped.</summary>
    public int ControllerCount => _controllers.Count(t => t != null);

    /// <summary>The target of controller <paramref name="number"/>, or null.</summary>
    public MidiTarget? Controller(int number) => number is >= 0 and < 128 ? _controllers[number] : null;

    /// <summary>Reads and checks a map file. Throws <see cref="PatchException"/> saying what is wrong (never the file's bytes).</summary>
    public static MidiMap Load(string path)
    {
        if (!PatchFileReader.TryRead(path, out string text, out string error, "the MIDI map"))
        {
            throw new PatchException(error);
        }
        return Parse(text, path);
    }

    /// <summary>Checks a map's text; <paramref name="source"/> names it in errors.</summary>
    public static MidiMap Parse(string json, string source)
    {
        MidiMapDocument? doc;
        try
        {
            doc = JsonSerializer.Deserialize(json, MidiMapJsonContext.Default.MidiMapDocument);
        }
        catch (JsonException e)
        {
            throw new PatchException($"{source}: not a MIDI map: {e.Message}");
        }
        if (doc == null)
        {
            throw new PatchException($"{source}: not a MIDI map: null");
        }
        var map = new MidiMap { Bend = doc.Bend == null ? null : Target(doc.Bend, source, "bend") };
        foreach ((string key, MidiTargetDocument target) in doc.Controllers ?? [])
        {
            if (!int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out int cc) || cc > 127)
            {
                throw new PatchException($"{source}: cc \"{Shorten(key)}\" is not a controller number 0..127");
            }
            if (cc is 120 or 123)
            {
                throw new PatchException($"{source}: cc {cc} is all-notes-off and cannot be mapped");
            }
            map._controllers[cc] = Target(target, source, $"cc {cc}");
        }
        return map;
    }

    private static MidiTarget Target(MidiTargetDocument d, string source, string what)
    {
        string module = d.Module ?? throw new PatchException($"{source}: {what} has no \"module\"");
        string param = d.Param ?? throw new PatchException($"{source}: {what} has no \"param\"");
        if (Names.CheckId(module) != null || System.Text.Encoding.UTF8.GetByteCount(param) is 0 or > Limits.MaxNameBytes)
        {
            throw new PatchException($"{source}: {what}: \"{Shorten(module)}\".\"{Shorten(param)}\" is not a module id and parameter name");
        }
        float min = d.Min ?? 0, max = d.Max ?? 1;
        if (!float.IsFinite(min) || !float.IsFinite(max))
        {
            throw new PatchException($"{source}: {what}: min and max must be finite numbers");
        }
        return new MidiTarget(module, param, min, max);
    }

    private static string Shorten(string s) => s.Length > 40 ? s[..40] + "..." : s;
}
