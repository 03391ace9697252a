using System.Buffers.Binary;

namespace Perpetuo.Dsp;

/// <summary>Snapshots: the whole host state at a block boundary, in the format described by <see cref="SnapshotFormat"/>.</summary>
public sealed partial class ModuleHost
{
    /// <summary>
    /// Captures the chain (types, ids, order), every parameter (current, target, ramp step and frames left) and
    /// all DSP state, so that <see cref="LoadSnapshot"/> continues bit-exactly. Commands queued for the next block
    /// and the counters are not part of it.
    /// </summary>
    /// <remarks>Allocates. Call between blocks.</remarks>
    public byte[] SaveSnapshot() => Write(new SnapshotWriter()).ToArray();

    /// <summary>
    /// The same bytes as <see cref="SaveSnapshot"/>, in a buffer this host keeps for it: valid until the next call.
    /// Allocation-free once the buffer has grown to the snapshot's size (a worker's render loop takes snapshots).
    /// </summary>
    public ReadOnlySpan<byte> SaveSnapshotInPlace()
    {
        _snapshotWriter ??= new SnapshotWriter();
        _snapshotWriter.Reset();
        return Write(_snapshotWriter);
    }

    private ReadOnlySpan<byte> Write(SnapshotWriter w)
    {
        w.WriteUInt32(SnapshotFormat.Magic);
        w.WriteInt32(SnapshotFormat.Version);
        w.WriteInt32(SampleRate);
        w.WriteInt32(Channels);
        w.WriteInt32(_modules.Count);
        foreach (Module m in _modules)
        {
            w.WriteString(m.Type);
            w.WriteString(m.Id);
            w.WriteInt32(m.Descriptor.Params.Count);
            for (int i = 0; i < m.Descriptor.Params.Count; i++)
            {
                ParamState p = m.Param(i);
                w.WriteSingle(p.Current);
                w.WriteSingle(p.Target);
                w.WriteSingle(p.Step);
                w.WriteInt32(p.Remaining);
            }

            m.WriteState(w);
        }

        w.WriteUInt64(SnapshotFormat.Checksum(w.Written));
        return w.Written;
    }

    /// <summary>Rebuilds a host from <see cref="SaveSnapshot"/> output. The input is untrusted: every count, length, enum and float is checked.</summary>
    /// <exception cref="DspException">Truncated, corrupt (checksum), wrong magic/version, or any invalid field.</exception>
    public static ModuleHost LoadSnapshot(ReadOnlySpan<byte> snapshot, int maxBlockFrames)
    {
        if (snapshot.Length < 8 + SnapshotFormat.ChecksumBytes)
        {
            throw new DspException($"snapshot truncated: {snapshot.Length} bytes is shorter than any snapshot");
        }

        ReadOnlySpan<byte> body = snapshot[..^SnapshotFormat.ChecksumBytes];
        var r = new SnapshotReader(body);
        if (r.ReadUInt32() != SnapshotFormat.Magic)
        {
            throw new DspException("not a Perpetuo DSP snapshot (bad magic)");
        }

        int version = r.ReadInt32();
        Check(version == SnapshotFormat.Version, $"unsupported snapshot version {version} (this build reads {SnapshotFormat.Version})");
        Check(
            BinaryPrimitives.ReadUInt64LittleEndian(snapshot[^SnapshotFormat.ChecksumBytes..]) == SnapshotFormat.Checksum(body),
            "snapshot checksum mismatch: the data is truncated or corrupt");

        var host = new ModuleHost(r.ReadInt32("sample rate", 1000, 768000), r.ReadInt32("channel count", 1, 64), maxBlockFrames);
        int count = r.ReadInt32("module count", 0, SnapshotFormat.MaxModules);
        for (int i = 0; i < count; i++)
        {
            host._modules.Add(host.ReadModule(ref r));
        }

        Check(r.Remaining == 0, $"snapshot has {r.Remaining} unexpected trailing bytes");
        return host;
    }

    private Module ReadModule(ref SnapshotReader r)
    {
        string type = r.ReadString("module type", SnapshotFormat.MaxStringBytes);
        ModuleDescriptor d = ModuleRegistry.Find(type)
            ?? throw new DspException($"snapshot: unknown module type \"{type}\"; known: {ModuleRegistry.TypeNames}");
        string id = r.ReadString("module id", SnapshotFormat.MaxStringBytes);
        Check(IsValidId(id) && IndexOf(id) < 0, $"snapshot: invalid or duplicate module id \"{id}\"");
        r.ReadInt32($"parameter count of {type}", d.Params.Count, d.Params.Count);
        Module m = ModuleRegistry.Create(d, id, _context);
        for (int i = 0; i < d.Params.Count; i++)
        {
            m.Param(i) = ReadParam(ref r, d.Params[i]);
        }

        m.ReadState(ref r);
        m.Initialize(resetState: false);
        return m;
    }

    private static ParamState ReadParam(ref SnapshotReader r, ParamDescriptor d)
    {
        float span = d.Max - d.Min;
        var p = new ParamState
        {
            Current = r.ReadSingle(d.Name, d.Min, d.Max),
            Target = r.ReadSingle(d.Name + " target", d.Min, d.Max),
            Step = r.ReadSingle(d.Name + " ramp step", -span, span),
            Remaining = r.ReadInt32(d.Name + " ramp frames", 0, int.MaxValue),
        };
        Check(p.Remaining == 0 ? p.Current == p.Target : d.Smoothed, $"snapshot: inconsistent ramp of parameter \"{d.Name}\"");
        Check(!d.Integer || p.Target == MathF.Round(p.Target), $"snapshot: parameter \"{d.Name}\" must be an integer");
        return p;
    }
}
