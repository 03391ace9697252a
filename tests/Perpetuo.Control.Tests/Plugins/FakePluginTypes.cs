using Perpetuo.Control.Catalog;
using Perpetuo.Protocol;

namespace Perpetuo.Control.Tests.Plugins;

/// <summary>
/// One LV2 plugin type as data, the way play knows plugins (from `perpetuo plugins --json --check`): a compressor
/// with two parameters, two presets (the second with state of its own) and a reported latency.
/// </summary>
internal sealed class FakePluginTypes : IPluginTypes
{
    public const string Type = "lv2:urn:x:comp";

    public static ModuleTypeInfo Comp { get; } = new(Type, "compressor",
    [
        new ParamInfo("ratio", 1, 20, 4, ""),
        new ParamInfo("gain", 0, 2, 1, ""),
        new ParamInfo(PluginTypes.PresetParam, 0, 2, 0, "preset"),
    ])
    {
        Presets =
        [
            new PresetInfo(1, "urn:x:comp#gentle", "Gentle", false, new Dictionary<string, float> { ["ratio"] = 2, ["unknown"] = 5 }),
            new PresetInfo(2, "urn:x:comp#crush", "Crush", true, new Dictionary<string, float> { ["ratio"] = 99, ["gain"] = 1.5f }),
        ],
        LatencyFrames = 64,
    };

    public string Hint => "lv2:URI";

    public bool Claims(string type) => type.StartsWith("lv2:", StringComparison.Ordinal);

    public ModuleTypeInfo? Find(string type, out string refusal)
    {
        refusal = type == Type ? "" : $"no such plugin {type}";
        return type == Type ? Comp : null;
    }

    public void WaitReady(IEnumerable<string> types)
    {
    }
}
