namespace Perpetuo.Lv2;

/// <summary>The LV2 URIs Perpetuo reads or provides (from the LV2 specification's headers, lv2/*.h).</summary>
public static class Lv2Uris
{
    public const string Core = "http://lv2plug.in/ns/lv2core#";
    public const string InputPort = Core + "InputPort";
    public const string OutputPort = Core + "OutputPort";
    public const string AudioPort = Core + "AudioPort";
    public const string ControlPort = Core + "ControlPort";
    public const string CVPort = Core + "CVPort";
    public const string Integer = Core + "integer";
    public const string Toggled = Core + "toggled";
    public const string Enumeration = Core + "enumeration";
    public const string ConnectionOptional = Core + "connectionOptional";
    public const string InPlaceBroken = Core + "inPlaceBroken";
    public const string HardRTCapable = Core + "hardRTCapable";

    public const string AtomPort = "http://lv2plug.in/ns/ext/atom#AtomPort";
    public const string AtomInt = "http://lv2plug.in/ns/ext/atom#Int";
    public const string AtomFloat = "http://lv2plug.in/ns/ext/atom#Float";
    public const string EventPort = "http://lv2plug.in/ns/ext/event#EventPort";
    public const string MidiEvent = "http://lv2plug.in/ns/ext/midi#MidiEvent";
    public const string MinorVersion = Core + "minorVersion";
    public const string MicroVersion = Core + "microVersion";

    public const string UridMap = "http://lv2plug.in/ns/ext/urid#map";
    public const string UridUnmap = "http://lv2plug.in/ns/ext/urid#unmap";
    public const string Options = "http://lv2plug.in/ns/ext/options#options";
    public const string BoundedBlockLength = "http://lv2plug.in/ns/ext/buf-size#boundedBlockLength";
    public const string MaxBlockLength = "http://lv2plug.in/ns/ext/buf-size#maxBlockLength";
    public const string MinBlockLength = "http://lv2plug.in/ns/ext/buf-size#minBlockLength";
    public const string NominalBlockLength = "http://lv2plug.in/ns/ext/buf-size#nominalBlockLength";
    public const string SampleRate = "http://lv2plug.in/ns/ext/parameters#sampleRate";
}
