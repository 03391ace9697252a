using System.Runtime.InteropServices;

namespace Perpetuo.Transport;

/// <summary>
/// The fixed, pointer-free header at offset 0 of every slot region. Each 128-byte line has one writer.
/// </summary>
/// <remarks>
/// Design: line 0 is written by the supervisor when it creates the region, and again from its own
/// <see cref="RegionLayout"/> before each new worker (a dead worker may have scribbled on it); the worker checks
/// it on open. The supervisor never re-reads line 0: it keeps its own <see cref="RegionLayout"/>. Every other line has exactly one writing side, so no field needs Interlocked (but the doorbell, line 12: see there), and
/// lines written by different processes are 128 bytes apart (no false sharing, also with adjacent-line
/// prefetch). Every field touched by Volatile is 8-byte aligned; <c>LayoutTests</c> pins all offsets.
/// Bump <see cref="RegionLayout.CurrentVersion"/> on any change here.
/// </remarks>
[StructLayout(LayoutKind.Explicit, Size = Size)]
public struct RegionHeader
{
    /// <summary>Header size in bytes: thirteen 128-byte lines.</summary>
    public const int Size = 13 * LineSize;

    /// <summary>Report slots for the modules a worker quarantined itself (lines 8-11).</summary>
    public const int QuarantineSlots = 8;

    /// <summary>One line: 128 bytes, the padding Disruptor uses for shared memory (adjacent-line prefetch).</summary>
    public const int LineSize = 128;

    // ---- line 0: identity, written by the supervisor at creation and before each new worker ----
    [FieldOffset(0)] public ulong Magic;
    [FieldOffset(8)] public int Version;
    [FieldOffset(12)] public int HeaderSize;
    [FieldOffset(16)] public int BlockFrames;
    [FieldOffset(20)] public int Channels;
    [FieldOffset(24)] public int SampleRate;
    [FieldOffset(28)] public int RingCapacity;
    [FieldOffset(32)] public int SlotStride;
    [FieldOffset(36)] public int CommandCapacity;
    [FieldOffset(40)] public long AudioRingOffset;
    [FieldOffset(48)] public long CommandRingOffset;
    [FieldOffset(56)] public long SnapshotOffset;
    [FieldOffset(64)] public long SnapshotCapacity;
    [FieldOffset(72)] public long TotalSize;
    [FieldOffset(80)] public int SlotIndex;
    [FieldOffset(84)] public int CommandRecordSize;
    /// <summary>Blocks in the live input ring (0: none).</summary>
    [FieldOffset(88)] public int InputCapacity;
    [FieldOffset(96)] public long InputRingOffset;

    // ---- line 1: audio producer (worker) ----
    /// <summary>Next block sequence the worker will publish: blocks below it (within one ring) are complete.</summary>
    [FieldOffset(128)] public long WritePosition;
    /// <summary>Bumped once per rendered block.</summary>
    [FieldOffset(136)] public long Heartbeat;
    /// <summary>Stopwatch timestamp of the last heartbeat (CLOCK_MONOTONIC, comparable across processes).</summary>
    [FieldOffset(144)] public long HeartbeatTimestamp;
    [FieldOffset(152)] public long WorkerPid;
    /// <summary>Block at which the snapshot in this region was taken, or -1.</summary>
    [FieldOffset(160)] public long SnapshotSeq;
    [FieldOffset(168)] public long SnapshotLength;
    /// <summary>Block the worker is rendering now (commands for blocks up to it have been drained).</summary>
    [FieldOffset(176)] public long RenderingSeq;
    /// <summary>Blocks in which this worker's output safety stage changed a sample, since the worker started: a patch too hot.</summary>
    [FieldOffset(184)] public long ClippedBlocks;
    /// <summary>1 while the worker is about to sleep or asleep on <see cref="Doorbell"/> (it wants a wake-up call).</summary>
    [FieldOffset(192)] public int Waiting;

    // ---- line 2: audio consumer (the supervisor's callback) ----
    /// <summary>Next block the consumer wants; the producer may write block s only while s &lt; ReadPosition + capacity.</summary>
    [FieldOffset(256)] public long ReadPosition;

    // ---- line 3: supervisor control (the supervisor's control thread) ----
    /// <summary>Exclusive bound on the blocks the worker may render: commands for every block below it are in the command ring.</summary>
    [FieldOffset(384)] public long RenderLimit;
    [FieldOffset(392)] public long SupervisorPid;
    /// <summary>First block the worker renders (0 at start; the snapshot's block on a resync).</summary>
    [FieldOffset(400)] public long StartSeq;
    /// <summary>Blocks the worker may render past the consumer's <see cref="ReadPosition"/> (the ring depth).</summary>
    [FieldOffset(408)] public long RenderLead;

    // ---- line 4: command producer (supervisor) ----
    [FieldOffset(512)] public long CommandWrite;

    // ---- line 5: command consumer (worker) ----
    [FieldOffset(640)] public long CommandRead;

    // ---- line 6: where the worker is (the worker), read by the supervisor after a death or a hang ----
    /// <summary>Block the worker was rendering when it last entered or left a module.</summary>
    [FieldOffset(768)] public long PositionBlock;
    /// <summary>Chain index of the module running now, or -1 when none is (commands, the output stage, waiting).</summary>
    [FieldOffset(776)] public int PositionModule;
    [FieldOffset(780)] public int PositionIdLength;
    /// <summary>The running module's id, UTF-8 (untrusted: the length is range-checked by the reader).</summary>
    [FieldOffset(784)] public CommandRecord.IdBytes PositionId;

    // ---- line 7: the worker's quarantine reports: how many were ever written (the worker) ----
    /// <summary>Reports written; report n is in <see cref="QuarantineReports"/>[n % <see cref="QuarantineSlots"/>],
    /// published by this count (release after the entry).</summary>
    [FieldOffset(896)] public long QuarantineCount;

    // ---- lines 8-11: the report slots (the worker) ----
    [FieldOffset(1024)] public QuarantineReports QuarantineReports;

    // ---- line 12: the doorbell (the supervisor's callback and control thread, by atomic increments only) ----
    /// <summary>
    /// Bumped after every change a waiting worker may be waiting for (a block consumed, the render limit raised);
    /// the worker sleeps on it with a futex (<see cref="RegionDoorbell"/>). The one word with two writing threads,
    /// both in the supervisor's process: Interlocked only, alone on its line.
    /// </summary>
    [FieldOffset(1536)] public int Doorbell;
}
