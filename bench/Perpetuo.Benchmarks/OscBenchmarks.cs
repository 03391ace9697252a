using BenchmarkDotNet.Attributes;
using Perpetuo.Control.Osc;

namespace Perpetuo.Benchmarks;

/// <summary>
/// Decoding what the OSC server receives, as its receive thread does: <c>/perpetuo/param ,ssf filter cutoff X</c>
/// read argument by argument, and <see cref="OscPacket.TryWalk"/> over that message and over a bundle of four.
/// </summary>
[MemoryDiagnoser]
public class OscBenchmarks
{
    private byte[] _message = [];
    private byte[] _bundle = [];

    [GlobalSetup]
    public void Setup()
    {
        _message = Encode(bundle: false);
        _bundle = Encode(bundle: true);
    }

    [Benchmark(Description = "OscMessageReader /perpetuo/param ,ssf")]
    public float ReadMessage()
    {
        if (!OscMessageReader.TryCreate(_message, out OscMessageReader r, out _))
        {
            return -1;
        }
        r.TryReadString(out ReadOnlySpan<byte> id);
        r.TryReadString(out ReadOnlySpan<byte> name);
        r.TryReadFloat(out float value);
        return value + id.Length + name.Length;
    }

    [Benchmark(Description = "OscPacket.TryWalk message")]
    public float WalkMessage()
    {
        var v = new ParamVisitor();
        OscPacket.TryWalk(_message, ref v, out _);
        return v.Sum;
    }

    [Benchmark(Description = "OscPacket.TryWalk bundle of 4")]
    public float WalkBundle()
    {
        var v = new ParamVisitor();
        OscPacket.TryWalk(_bundle, ref v, out _);
        return v.Sum;
    }

    private static byte[] Encode(bool bundle)
    {
        var buffer = new byte[512];
        var w = new OscWriter(buffer);
        if (bundle)
        {
            w.BeginBundle(OscTimeTag.Immediate);
        }
        for (int i = 0; i < (bundle ? 4 : 1); i++)
        {
            w.BeginMessage("/perpetuo/param", ",ssf");
            w.WriteString("filter");
            w.WriteString("cutoff");
            w.WriteFloat(1000 + i);
            w.EndMessage();
        }
        if (bundle)
        {
            w.EndBundle();
        }
        w.TryFinish(out int length);
        return buffer[..length];
    }

    private struct ParamVisitor : IOscMessageVisitor
    {
        public float Sum;

        public void Visit(OscMessageReader message, OscTimeTag timeTag)
        {
            message.TryReadString(out ReadOnlySpan<byte> id);
            message.TryReadString(out ReadOnlySpan<byte> name);
            message.TryReadFloat(out float value);
            Sum += value + id.Length + name.Length;
        }
    }
}
