using System.Buffers.Binary;

namespace Perpetuo.Dsp;

/// <summary>Snapshots: the whole host state at a block boundary, in the format described by <see cref="SnapshotFormat"/>.</summary>
public sealed partial class ModuleHost
{
    /// <summary>
    /// Captures the chain (types, ids, order), every parameter (ramp start, target, length and frames left) and
    /// all DSP state, so that <see cref="LoadSnapshot"/> continues bit-exactly. Commands queued for the next block
    /// and the counters are not part of it.
    /// </summary>
    /// <remarks>Allocates. Call between blocks.</remarks>
    public byte[] SaveSnapshot() => Write(new SnapshotWriter()).ToArray();

    /// <summary>
    /// False when a module's state cannot be saved (an LV2 plugin's): <see cref="SaveSnapshot"/> would throw, and a
    /// worker joins such a session by replaying from before the module was added instead. False too, for good, once
    /// the process has run a plugin (<see cref="Lv2Modules.AnyInstantiated"/>): what it left outside its instance
    /// is in no snapshot.
    /// </summary>
    /// <remarks>Allocation-free.</remarks>
    public bool CanSnapshot
    {
        get
        {
            if (Lv2Modules.AnyInstantiated)
            {
                return false;
            }
            for (int i = 0; i < _modules.Count; i++)
            {
                if (!_modules[i].CanSnapshot)
                {
                    return false;
                }
            }
            return true;
        }
    }

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
            w.WriteBool(m.Quarantined);
            w.WriteInt32(m.Descriptor.Params.Count);
            for (int i = 0; i < m.Descriptor.Params.Count; i++)
            {
                // A settled parameter is written as the ramp "Target -> Target over 0 frames": what is left of
                // its last ramp does not matter any more, and equal states must give equal bytes.
                ParamState p = m.Param(i);
                bool settled = p.IsSettled;
                w.WriteSingle(settled ? p.Target : p.Start);
                w.WriteSingle(p.Target);
                w.WriteInt32(settled ? 0 : p.Total);
                w.WriteInt32(p.Remaining);
            }

            m.WriteState(w);
        }

        w.WriteUInt64(SnapshotFormat.Checksum(w.Written));
        return w.Written;
    }

    /// <summary>Rebuilds a host from <see cref="SaveSnapshot"/> output. The input is untrusted: every count, length, enum and float is checked.</summary>
    /// <exception cref="DspException">Truncated, corrupt (checksum), wrong magic/version, or any invalid field.</exception>
    /// <param name="allowFaultModules">Whether the test-only <c>fault</c> type may be in it (see <see cref="AllowFaultModules"/>).</param>
    public static ModuleHost LoadSnapshot(ReadOnlySpan<byte> snapshot, int maxBlockFrames, bool allowFaultModules = false)
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

        var host = new ModuleHost(r.ReadInt32("sample rate", 1000, 768000), r.ReadInt32("channel count", 1, 64), maxBlockFrames)
        {
            AllowFaultModules = allowFaultModules,
        };
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
        ModuleDescriptor d = ModuleRegistry.Find(type, AllowFaultModules)
            ?? throw new DspException($"snapshot: unknown module type \"{type}\"; known: {ModuleRegistry.TypeNames}");
        string id = r.ReadString("module id", SnapshotFormat.MaxStringBytes);
        Check(IsValidId(id) && IndexOf(id) < 0, $"snapshot: invalid or duplicate module id \"{id}\"");
        bool quarantined = r.ReadBool("quarantined");
        r.ReadInt32($"parameter count of {type}", d.Params.Count, d.Params.Count);
        Module m = ModuleRegistry.Create(d, id, _context);
        for (int i = 0; i < d.Params.Count; i++)
        {
            m.Param(i) = ReadParam(ref r, d.Params[i]);
        }

        m.ReadState(ref r);
        m.Initialize(resetState: false);
        m.Quarantined = quarantined;
        return m;
    }

    /// <summary>
    /// Reads one parameter; its current value is derived from the ramp (<see cref="ParamState.Begin"/>), so it is
    /// between start and target, both range-checked, and continues bit-exactly.
    /// </summary>
    private static ParamState ReadParam(ref SnapshotReader r, ParamDescriptor d)
    {
        float start = r.ReadSingle(d.Name + " ramp start", d.Min, d.Max);
        float target = r.ReadSingle(d.Name, d.Min, d.Max);
        int total = r.ReadInt32(d.Name + " ramp frames", 0, int.MaxValue);
        int remaining = r.ReadInt32(d.Name + " ramp frames left", 0, total);
        Check(!d.Integer || target == MathF.Round(target), $"snapshot: parameter \"{d.Name}\" must be an integer");
        var p = new ParamState { Target = target };
        if (remaining == 0)
        {
            Check(total == 0 && start == target, $"snapshot: inconsistent settled parameter \"{d.Name}\"");
            p.Settle();
        }
        else
        {
            Check(d.Smoothed && start != target, $"snapshot: inconsistent ramp of parameter \"{d.Name}\"");
            p.Begin(start, target, total, remaining);
        }

        return p;
    }
}
