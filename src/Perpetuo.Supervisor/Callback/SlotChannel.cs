using Perpetuo.Transport;

namespace Perpetuo.Supervisor.Callback;

/// <summary>
/// One slot as the audio callback sees it: its ring (for the life of the supervisor, never swapped), the mode the
/// control thread allows, and the statistics the callback keeps about it.
/// </summary>
/// <remarks>
/// Design: the control thread writes <see cref="Mode"/> and <see cref="Generation"/>; the callback writes the
/// statistics. Each field has one writer and is published with Volatile so the other thread sees whole values.
/// When the callback finds garbage in the ring it latches the slot off by itself (no waiting for the control
/// thread) until the control thread attaches a new worker and bumps <see cref="Generation"/>.
/// </remarks>
public sealed class SlotChannel
{
    private int _mode;
    private int _generation;
    private long _lastSeq = -1;
    private long _firstSeq;
    private long _misses;
    private long _matchStreak;
    private long _faults;
    private long _mismatches;
    private int _rmsBits;

    public SlotChannel(int index, AudioRingReader ring)
    {
        Index = index;
        Ring = ring;
    }

    /// <summary>Slot number (0 or 1).</summary>
    public int Index { get; }

    /// <summary>The slot's ring, for the life of the supervisor.</summary>
    public AudioRingReader Ring { get; }

    /// <summary>What the callback may do with this slot. Written by the control thread.</summary>
    public SlotMode Mode
    {
        get => (SlotMode)Volatile.Read(ref _mode);
        set => Volatile.Write(ref _mode, (int)value);
    }

    /// <summary>Bumped by the control thread when a new worker is attached (clears the callback's fault latch).</summary>
    public int Generation => Volatile.Read(ref _generation);

    /// <summary>Called by the control thread after it attached a new worker to this slot.</summary>
    public void NextGeneration()
    {
        Volatile.Write(ref _matchStreak, 0);
        Volatile.Write(ref _generation, _generation + 1);
    }

    /// <summary>
    /// First block the attached worker produces (its snapshot's block, or 0). Blocks below it may still sit in the
    /// ring from the previous worker: they are treated as missing, never read, never judged. Control thread writes.
    /// </summary>
    public long FirstSeq
    {
        get => Volatile.Read(ref _firstSeq);
        set => Volatile.Write(ref _firstSeq, value);
    }

    /// <summary>Last block this slot supplied to the output.</summary>
    public long LastSeq => Volatile.Read(ref _lastSeq);

    /// <summary>Blocks this slot did not have when the other slot did.</summary>
    public long Misses => Volatile.Read(ref _misses);

    /// <summary>Consecutive blocks whose hash equalled the block played.</summary>
    public long MatchStreak => Volatile.Read(ref _matchStreak);

    /// <summary>Protocol violations found in this slot's ring. The control thread acts on this counter, not only
    /// on the event: an event is dropped when the queue is full, a count never is.</summary>
    public long Faults => Volatile.Read(ref _faults);

    /// <summary>Blocks of this slot whose hash differed from the block played (counted like <see cref="Faults"/>).</summary>
    public long Mismatches => Volatile.Read(ref _mismatches);

    /// <summary>RMS of the last block this slot supplied.</summary>
    public float Rms => BitConverter.Int32BitsToSingle(Volatile.Read(ref _rmsBits));

    // ---- callback-side state (audio thread only) ----
    internal int SeenGeneration;
    internal bool FaultLatched;

    internal void RecordPlayed(long seq, float rms)
    {
        Volatile.Write(ref _lastSeq, seq);
        Volatile.Write(ref _rmsBits, BitConverter.SingleToInt32Bits(rms));
    }

    internal void RecordMiss() => Volatile.Write(ref _misses, _misses + 1);

    internal void RecordMatch(bool equal)
    {
        Volatile.Write(ref _matchStreak, equal ? _matchStreak + 1 : 0);
        if (!equal)
        {
            Volatile.Write(ref _mismatches, _mismatches + 1);
        }
    }

    internal void RecordFault() => Volatile.Write(ref _faults, _faults + 1);
}
