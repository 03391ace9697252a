using System.Diagnostics;

namespace Perpetuo.Transport;

/// <summary>
/// The worker's view of its region outside the audio ring: heartbeat, progress, render limit, snapshots.
/// </summary>
/// <remarks>
/// Design: the worker writes only line 1 (its own) and reads line 3 (the supervisor's) and the callback's read
/// position (line 2) for its lead. Worker thread only.
/// </remarks>
public sealed unsafe class WorkerLink
{
    private readonly SharedRegion _region;

    public WorkerLink(SharedRegion region)
    {
        ArgumentNullException.ThrowIfNull(region);
        _region = region;
    }

    /// <summary>Exclusive bound on blocks this worker may render now (commands below it have all been sent).</summary>
    public long RenderLimit => Volatile.Read(ref _region.Header.RenderLimit); // acquire: commands written before it are visible

    /// <summary>
    /// Exclusive bound on the blocks this worker may render now: the render limit (every command below it is in the
    /// ring), and no further past the consumer's read position than the render lead (the ring depth, the latency).
    /// </summary>
    public long EffectiveLimit
    {
        get
        {
            long lead = Volatile.Read(ref _region.Header.RenderLead);
            long read = Volatile.Read(ref _region.Header.ReadPosition);
            long limit = RenderLimit;
            // A lead out of range (never written by a supervisor of ours) binds nothing beyond the render limit.
            return lead is > 0 and <= SupervisorLink.NoLead && read >= 0 ? Math.Min(limit, read + lead) : limit;
        }
    }

    /// <summary>First block to render, set by the supervisor before the worker was spawned.</summary>
    public long StartSeq => Volatile.Read(ref _region.Header.StartSeq);

    /// <summary>The supervisor's process id as it wrote it at creation.</summary>
    public long SupervisorPid => Volatile.Read(ref _region.Header.SupervisorPid);

    /// <summary>Announces the worker's pid (once, at attach).</summary>
    public void PublishPid(int pid) => Volatile.Write(ref _region.Header.WorkerPid, pid);

    /// <summary>Announces that block <paramref name="seq"/> is being rendered (its commands are being drained).</summary>
    public void BeginBlock(long seq) => Volatile.Write(ref _region.Header.RenderingSeq, seq);

    /// <summary>Bumps the heartbeat and its timestamp after each rendered block, publishing first how many blocks
    /// the output safety stage has clipped so far (<paramref name="clippedBlocks"/>).</summary>
    public void Beat(long clippedBlocks = 0)
    {
        ref RegionHeader h = ref _region.Header;
        Volatile.Write(ref h.ClippedBlocks, clippedBlocks);
        Volatile.Write(ref h.HeartbeatTimestamp, Stopwatch.GetTimestamp());
        Volatile.Write(ref h.Heartbeat, h.Heartbeat + 1); // single writer: a plain read of our own field is enough
    }

    /// <summary>
    /// Writes a snapshot taken at the start of block <paramref name="seq"/> into this region's snapshot area and
    /// publishes it. Returns false if it does not fit.
    /// </summary>
    public bool TryPublishSnapshot(long seq, ReadOnlySpan<byte> snapshot)
    {
        if (snapshot.Length > _region.Layout.SnapshotCapacity)
        {
            return false;
        }
        // A seqlock, as for audio slots: -1 first, so a supervisor still copying the previous snapshot sees the number
        // change and drops its copy instead of keeping a mix of two snapshots.
        Volatile.Write(ref _region.Header.SnapshotSeq, -1);
        Volatile.WriteBarrier(); // the -1 is visible before any byte below
        snapshot.CopyTo(_region.SnapshotArea);
        Volatile.Write(ref _region.Header.SnapshotLength, snapshot.Length);
        // Release: bytes and length are in place before the supervisor sees the block number that vouches for them.
        Volatile.Write(ref _region.Header.SnapshotSeq, seq);
        return true;
    }

    /// <summary>
    /// Answers a snapshot request for block <paramref name="seq"/> with "impossible": this worker's state cannot be
    /// saved (a plugin's is the plugin's own). Published like a snapshot, with length -1.
    /// </summary>
    public void RefuseSnapshot(long seq)
    {
        Volatile.Write(ref _region.Header.SnapshotSeq, -1);
        Volatile.Write(ref _region.Header.SnapshotLength, -1);
        Volatile.Write(ref _region.Header.SnapshotSeq, seq); // release: the -1 length is in place first
    }

    /// <summary>Copies the snapshot the supervisor placed in this region (for a respawned worker), or null if none is valid.</summary>
    public byte[]? ReadSnapshot(out long seq)
    {
        seq = Volatile.Read(ref _region.Header.SnapshotSeq);
        long length = Volatile.Read(ref _region.Header.SnapshotLength);
        if (seq < 0 || length <= 0 || length > _region.Layout.SnapshotCapacity)
        {
            return null;
        }
        return _region.SnapshotArea[..(int)length].ToArray();
    }

    /// <summary>
    /// Records that module <paramref name="index"/> (id <paramref name="moduleId"/>) is about to run in block
    /// <paramref name="block"/>. Plain stores: the supervisor reads them only once this worker is dead or stuck, and
    /// a torn read of a live worker's position is harmless (it is never acted on alone).
    /// </summary>
    /// <remarks>Worker thread only. Wait-free, allocation-free.</remarks>
    public void EnterModule(long block, int index, ReadOnlySpan<byte> moduleId)
    {
        ref RegionHeader h = ref _region.Header;
        int n = Math.Min(moduleId.Length, CommandRecord.MaxIdBytes);
        moduleId[..n].CopyTo(h.PositionId);
        h.PositionIdLength = n;
        h.PositionBlock = block;
        h.PositionModule = index;
    }

    /// <summary>Records that no module is running. Worker thread only.</summary>
    public void LeaveModule() => _region.Header.PositionModule = -1;

    /// <summary>Reports a module this worker quarantined itself in block <paramref name="block"/>.</summary>
    /// <remarks>Worker thread only. Wait-free, allocation-free.</remarks>
    public void ReportQuarantine(long block, int frame, int reason, ReadOnlySpan<byte> moduleId)
    {
        ref RegionHeader h = ref _region.Header;
        long n = h.QuarantineCount; // single writer: our own field
        ref QuarantineEntry e = ref h.QuarantineReports[(int)(n % RegionHeader.QuarantineSlots)];
        int length = Math.Min(moduleId.Length, CommandRecord.MaxIdBytes);
        moduleId[..length].CopyTo(e.Id);
        e.IdLength = length;
        e.Block = block;
        e.Frame = frame;
        e.Reason = reason;
        Volatile.Write(ref h.QuarantineCount, n + 1); // release: the entry is in place before the count vouches for it
    }

    /// <summary>Fault injection: writes an impossible write position into the header.</summary>
    public void ScribbleWritePosition(long garbage) => Volatile.Write(ref _region.Header.WritePosition, garbage);
}
