using System.Diagnostics;

namespace Perpetuo.Transport;

/// <summary>
/// The supervisor's control-thread view of a slot region: liveness, progress, render limit, snapshots, reset.
/// </summary>
/// <remarks>
/// Design: the supervisor writes line 3 (its own) and, only while no worker is attached to the slot, resets the
/// worker's line 1 and rewrites line 0 (the identity) from its own layout: a worker can scribble on any line, and
/// a scribbled identity left in place would make every later worker reject the region, losing the slot. Every value read from line 1 is untrusted and range-checked by the caller's logic (it only
/// compares them). Control thread only; never the audio callback.
/// </remarks>
public sealed unsafe class SupervisorLink
{
    private readonly SharedRegion _region;
    private readonly RegionDoorbell _doorbell;

    public SupervisorLink(SharedRegion region)
    {
        ArgumentNullException.ThrowIfNull(region);
        _region = region;
        _doorbell = new RegionDoorbell(region);
    }

    public long Heartbeat => Volatile.Read(ref _region.Header.Heartbeat);

    public long HeartbeatTimestamp => Volatile.Read(ref _region.Header.HeartbeatTimestamp);

    public long WorkerPid => Volatile.Read(ref _region.Header.WorkerPid);

    public long WritePosition => Volatile.Read(ref _region.Header.WritePosition);

    public long RenderingSeq => Volatile.Read(ref _region.Header.RenderingSeq);

    public long SnapshotSeq => Volatile.Read(ref _region.Header.SnapshotSeq);

    /// <summary>Blocks the worker's output safety stage clipped since it started (0 for a new worker).</summary>
    public long ClippedBlocks => Volatile.Read(ref _region.Header.ClippedBlocks);

    /// <summary>
    /// Where the worker was: the block and the id of the module it was running, or false when it was in no module
    /// (or the record is malformed). Meaningful for a worker that is dead or stuck; the fields are untrusted.
    /// </summary>
    public bool TryReadPosition(out long block, out string moduleId)
    {
        ref RegionHeader h = ref _region.Header;
        block = Volatile.Read(ref h.PositionBlock);
        moduleId = "";
        int index = Volatile.Read(ref h.PositionModule);
        int length = Volatile.Read(ref h.PositionIdLength);
        if (index < 0 || block < 0 || length is <= 0 or > CommandRecord.MaxIdBytes)
        {
            return false;
        }
        return TryDecodeId(((ReadOnlySpan<byte>)h.PositionId)[..length], out moduleId);
    }

    /// <summary>Reports ever written by this slot's workers (the count is not reset for a new worker).</summary>
    public long QuarantineCount => Volatile.Read(ref _region.Header.QuarantineCount);

    /// <summary>
    /// Report <paramref name="n"/> (below <see cref="QuarantineCount"/>), or false if it was overwritten by later
    /// ones before it could be read, or is malformed.
    /// </summary>
    public bool TryReadQuarantine(long n, out long block, out int frame, out int reason, out string moduleId)
    {
        ref RegionHeader h = ref _region.Header;
        if (n < 0 || n >= Volatile.Read(ref h.QuarantineCount))
        {
            (block, frame, reason, moduleId) = (-1, 0, 0, "");
            return false; // not written (yet)
        }
        ref QuarantineEntry e = ref h.QuarantineReports[(int)(n % RegionHeader.QuarantineSlots)];
        block = e.Block;
        frame = e.Frame;
        reason = e.Reason;
        int length = e.IdLength;
        moduleId = "";
        bool decoded = length is > 0 and <= CommandRecord.MaxIdBytes && TryDecodeId(((ReadOnlySpan<byte>)e.Id)[..length], out moduleId);
        Volatile.ReadBarrier(); // the entry's loads complete before the count is read again
        return decoded && Volatile.Read(ref h.QuarantineCount) - n <= RegionHeader.QuarantineSlots;
    }

    /// <summary>
    /// Strict UTF-8 only: an id that decodes is one that encodes back to the same at most 40 bytes, so it fits a
    /// command record (a lenient decode would turn each bad byte into a 3-byte U+FFFD and overflow it).
    /// </summary>
    private static bool TryDecodeId(ReadOnlySpan<byte> bytes, out string id)
    {
        try
        {
            id = StrictUtf8.GetString(bytes);
            return true;
        }
        catch (System.Text.DecoderFallbackException)
        {
            id = "";
            return false;
        }
    }

    private static readonly System.Text.UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>A render lead that never binds: the render limit alone decides (tests that drive the limit by hand).</summary>
    public const long NoLead = long.MaxValue / 4;

    /// <summary>Lets the worker render every block below <paramref name="limit"/>.</summary>
    public void SetRenderLimit(long limit)
    {
        ref RegionHeader h = ref _region.Header;
        long old = h.RenderLimit; // ours (a worker scribbling on it only changes whether it is woken here)
        // Release: every command stamped below the limit was written to the command ring before this store.
        Volatile.Write(ref h.RenderLimit, limit);
        long lead = Math.Clamp(Volatile.Read(ref h.RenderLead), 1, NoLead);
        if (old < Volatile.Read(ref h.ReadPosition) + lead)
        {
            _doorbell.Ring(); // the old limit was what held the worker back; otherwise the callback's release wakes it
        }
    }

    /// <summary>
    /// Repairs the identity line, clears the worker's line and the command ring so a new worker can attach,
    /// starting at block <paramref name="startSeq"/>. Call only while no worker process is alive on this slot.
    /// </summary>
    /// <param name="startSeq">The new worker's first block.</param>
    /// <param name="renderLead">How many blocks past the consumer's read position the worker may render (the ring
    /// depth); the default leaves the render limit alone in charge.</param>
    public void ResetForNewWorker(long startSeq, long renderLead = NoLead)
    {
        _region.WriteIdentity();
        ref RegionHeader h = ref _region.Header;
        Volatile.Write(ref h.WritePosition, 0);
        // After the reset (release): a reader that sees the new epoch sees WritePosition 0 or the new worker's, never
        // the dead one's together with the new epoch (which it would cache and trust).
        _region.BeginProducerEpoch();
        Volatile.Write(ref h.Heartbeat, 0);
        Volatile.Write(ref h.HeartbeatTimestamp, Stopwatch.GetTimestamp());
        Volatile.Write(ref h.WorkerPid, 0);
        Volatile.Write(ref h.RenderingSeq, startSeq - 1);
        Volatile.Write(ref h.ClippedBlocks, 0);
        Volatile.Write(ref h.PositionModule, -1);
        Volatile.Write(ref h.SnapshotSeq, -1);
        Volatile.Write(ref h.SnapshotLength, 0);
        Volatile.Write(ref h.CommandRead, 0);
        Volatile.Write(ref h.CommandWrite, 0);
        Volatile.Write(ref h.Waiting, 0);
        Volatile.Write(ref h.RenderLead, Math.Max(1, renderLead));
        // Release: all of the above is in place before the new worker reads its start block.
        Volatile.Write(ref h.StartSeq, startSeq);
    }

    /// <summary>Copies the snapshot a worker published for block <paramref name="seq"/>; null if it is not (yet) there or malformed.</summary>
    /// <param name="seq">The block the snapshot was requested for.</param>
    /// <param name="reuse">An array to copy into if it has exactly the snapshot's length (a checkpoint the caller
    /// no longer needs: the same patch gives snapshots of the same size), else a new array is made.</param>
    public byte[]? TryTakeSnapshot(long seq, byte[]? reuse = null)
    {
        // Acquire: pairs with the worker's release of SnapshotSeq after the bytes. -1 means "being written".
        if (seq < 0 || Volatile.Read(ref _region.Header.SnapshotSeq) != seq)
        {
            return null;
        }
        long length = Volatile.Read(ref _region.Header.SnapshotLength);
        if (length <= 0 || length > _region.Layout.SnapshotCapacity)
        {
            return null;
        }
        byte[] copy = reuse != null && reuse.Length == length ? reuse : new byte[length];
        _region.SnapshotArea[..(int)length].CopyTo(copy);
        Volatile.ReadBarrier(); // the copy's loads complete before the number is read again
        return Volatile.Read(ref _region.Header.SnapshotSeq) == seq ? copy : null;
    }

    /// <summary>True when the worker answered the request for block <paramref name="seq"/> with "impossible" (see
    /// <see cref="WorkerLink.RefuseSnapshot"/>): its state cannot be saved, so it cannot be copied.</summary>
    public bool SnapshotRefused(long seq) =>
        seq >= 0 && Volatile.Read(ref _region.Header.SnapshotSeq) == seq && Volatile.Read(ref _region.Header.SnapshotLength) == -1;

    /// <summary>Places a snapshot for the worker that is about to be spawned into this slot.</summary>
    public void PlaceSnapshot(long seq, ReadOnlySpan<byte> snapshot)
    {
        if (snapshot.Length > _region.Layout.SnapshotCapacity)
        {
            throw new ArgumentException($"snapshot of {snapshot.Length} bytes exceeds the region's {_region.Layout.SnapshotCapacity}");
        }
        snapshot.CopyTo(_region.SnapshotArea);
        Volatile.Write(ref _region.Header.SnapshotLength, snapshot.Length);
        Volatile.Write(ref _region.Header.SnapshotSeq, seq); // release: bytes before the block number
    }

    /// <summary>Scribbles garbage over the worker's line (fault-injection tests of the reader's checks).</summary>
    public void CorruptProducerLine(long garbage) => Volatile.Write(ref _region.Header.WritePosition, garbage);
}
