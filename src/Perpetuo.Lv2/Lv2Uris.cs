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

    public const string Atom = "http://lv2plug.in/ns/ext/atom#";
    public const string AtomPort = Atom + "AtomPort";
    public const string AtomInt = Atom + "Int";
    public const string AtomLong = Atom + "Long";
    public const string AtomFloat = Atom + "Float";
    public const string AtomDouble = Atom + "Double";
    public const string AtomBool = Atom + "Bool";
    public const string AtomString = Atom + "String";
    public const string AtomPath = Atom + "Path";
    public const string AtomUri = Atom + "URI";
    public const string AtomUrid = Atom + "URID";
    public const string AtomChunk = Atom + "Chunk";
    public const string AtomSequence = Atom + "Sequence";
    public const string AtomBufferType = Atom + "bufferType";
    public const string Designation = Core + "designation";
    public const string Latency = Core + "latency";
    public const string ReportsLatency = Core + "reportsLatency";
    public const string MinimumSize = "http://lv2plug.in/ns/ext/resize-port#minimumSize";
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
    public const string SequenceSize = "http://lv2plug.in/ns/ext/buf-size#sequenceSize";
    public const string SampleRate = "http://lv2plug.in/ns/ext/parameters#sampleRate";

    public const string WorkerSchedule = "http://lv2plug.in/ns/ext/worker#schedule";
    public const string WorkerInterface = "http://lv2plug.in/ns/ext/worker#interface";

    public const string State = "http://lv2plug.in/ns/ext/state#";
    public const string StateInterface = State + "interface";
    public const string StateLoadDefaultState = State + "loadDefaultState";
    public const string StateMapPath = State + "mapPath";
    public const string StateFreePath = State + "freePath";
    public const string StateThreadSafeRestore = State + "threadSafeRestore";
    public const string StateState = State + "state";

    public const string Preset = "http://lv2plug.in/ns/ext/presets#Preset";
    public const string RdfsLabel = "http://www.w3.org/2000/01/rdf-schema#label";
}
