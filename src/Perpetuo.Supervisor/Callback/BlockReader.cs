using System.Diagnostics;
using Perpetuo.Audio;
using Perpetuo.Transport;

namespace Perpetuo.Supervisor.Callback;

/// <summary>
/// The audio callback: once per block it takes block N from the active slot, or from the other slot if the
/// active one does not have it, and advances both rings past N.
/// </summary>
/// <remarks>
/// Design: the device clock rules. Block N is decided inside one callback from the data alone — no timer, no
/// waiting: copy N from the active slot; if it is missing or faulty, copy N from the other readable slot and make
/// that one active (a failover); if neither has it, play faded silence and count an underrun. Whenever a second
/// slot has N, its hash is compared with the block played (divergence count, and the match streak that verifies
/// a resyncing worker). Every slot's read position moves to N+1 whatever happened, so a slot that missed N drops
/// it when it arrives and the two workers stay in step. Slots are fixed: a slot's ring is never swapped, only the
/// active index changes. Everything here is preallocated: no allocation, lock, wait or system call.
/// </remarks>
public sealed class BlockReader : IBlockSource, ILiveInputSink, IMidiSink
{
    private readonly SlotChannel[] _slots;
    private readonly int _samples;
    private readonly Declicker _declicker;
    private readonly EventQueue _events;
    private long _next;
    private int _active;
    private long _underruns;
    private long _failovers;
    private long _divergences;
    private long _blocks;
    private readonly long[] _playedSeq = new long[SourceHistory];
    private readonly int[] _playedFrom = new int[SourceHistory];

    /// <summary>Most slots: two leaders and a trailing replica.</summary>
    public const int MaxSlots = 3;

    /// <summary>Blocks for which <see cref="SourceOf"/> remembers which slot supplied them (a power of two).</summary>
    public const int SourceHistory = 256;

    /// <param name="input">Where captured live input goes, when the engine has one; null: input is ignored.</param>
    public BlockReader(IReadOnlyList<SlotChannel> slots, int channels, int blockFrames, EventQueue events, long firstSeq = 0,
                       InputFanOut? input = null)
    {
        ArgumentNullException.ThrowIfNull(slots);
        if (slots.Count is < 1 or > MaxSlots)
        {
            throw new ArgumentException($"one to {MaxSlots} slots", nameof(slots));
        }
        _playedSeq.AsSpan().Fill(-1);
        _slots = [.. slots];
        _samples = channels * blockFrames;
        _declicker = new Declicker(channels, blockFrames);
        Peaks = new PeakMeter(channels, blockFrames);
        _events = events;
        _next = firstSeq;
        Input = input;
    }

    /// <summary>The live input's fan-out, or null.</summary>
    public InputFanOut? Input { get; }

    /// <summary>MIDI the output captured, for the control thread to stamp.</summary>
    public MidiQueue Midi { get; } = new();

    /// <inheritdoc/>
    /// <remarks>Audio thread only. Wait-free, allocation-free.</remarks>
    public void TryPutMidi(in MidiMessage message) => Midi.TryPost(message);

    /// <summary>The next block the callback will play.</summary>
    public long NextSeq => Volatile.Read(ref _next);

    /// <summary>The slot played from last.</summary>
    public int ActiveSlot => Volatile.Read(ref _active);

    public long Underruns => Volatile.Read(ref _underruns);

    public long Failovers => Volatile.Read(ref _failovers);

    public long Divergences => Volatile.Read(ref _divergences);

    /// <summary>
    /// The slot block <paramref name="seq"/> was played from, <see cref="Underrun"/> if none had it, or
    /// <see cref="Unknown"/> when it is not played yet or too old (more than <see cref="SourceHistory"/> blocks back).
    /// Any thread: the control thread decides with it whose block was heard.
    /// </summary>
    public int SourceOf(long seq)
    {
        int i = (int)(seq & (SourceHistory - 1));
        if (Volatile.Read(ref _playedSeq[i]) != seq)
        {
            return Unknown;
        }
        int source = Volatile.Read(ref _playedFrom[i]);
        // Read again: the callback writes the source before the block number, so an entry being reused for a later
        // block (this many blocks on) shows a new number here, and its source is not taken for this block's.
        return Volatile.Read(ref _playedSeq[i]) == seq ? source : Unknown;
    }

    /// <summary><see cref="SourceOf"/>: no slot had the block (an underrun).</summary>
    public const int Underrun = -1;

    /// <summary><see cref="SourceOf"/>: not played yet, or forgotten.</summary>
    public const int Unknown = -2;

    /// <summary>Callbacks run.</summary>
    public long Blocks => Volatile.Read(ref _blocks);

    /// <summary>Each callback's duration, for the control thread to drain into the metrics histogram.</summary>
    public CallbackTimings Timings { get; } = new();

    /// <summary>Per-channel peaks of what the callback hands to the output (the meters of /perpetuo/levels).</summary>
    public PeakMeter Peaks { get; }

    /// <summary>The slots, in index order.</summary>
    public IReadOnlyList<SlotChannel> Slots => _slots;

    /// <inheritdoc/>
    /// <remarks>Audio thread only. Wait-free, allocation-free.</remarks>
    public void TryFillBlock(Span<float> interleaved)
    {
        // Stopwatch.GetTimestamp is clock_gettime(CLOCK_MONOTONIC) through the vDSO: no system call, no allocation.
        long started = Stopwatch.GetTimestamp();
        Span<float> block = interleaved[.._samples];
        long n = _next;
        int source = -1;
        ulong hash = 0;
        int first = _active < _slots.Length ? _active : 0;
        for (int k = 0; k < _slots.Length && source < 0; k++)
        {
            int s = (first + k) % _slots.Length;
            if (TryPlay(_slots[s], n, block, out hash))
            {
                source = s;
            }
        }
        int entry = (int)(n & (SourceHistory - 1));
        Volatile.Write(ref _playedSeq[entry], -1); // being rewritten: no reader takes the old source for the new block
        Volatile.Write(ref _playedFrom[entry], source);
        Volatile.Write(ref _playedSeq[entry], n); // after the source: a reader that sees n sees its source
        if (source >= 0)
        {
            Played(source, first, n, block, hash);
        }
        else
        {
            _declicker.WriteFadeOut(block);
            Volatile.Write(ref _underruns, _underruns + 1);
            _events.TryPost(new EngineEvent(EngineEventKind.Underrun, first, -1, n));
        }
        Peaks.TryRecord(block);
        for (int s = 0; s < _slots.Length; s++)
        {
            _slots[s].Ring.Release(n + 1);
        }
        Volatile.Write(ref _next, n + 1);
        Volatile.Write(ref _blocks, _blocks + 1);
        Timings.TryAdd(Stopwatch.GetTimestamp() - started);
    }

    /// <inheritdoc/>
    /// <remarks>Audio thread only. Wait-free, allocation-free.</remarks>
    public void TryPutInput(ReadOnlySpan<float> interleaved)
    {
        if (interleaved.Length == _samples)
        {
            Input?.TryPut(interleaved, _next);
        }
    }

    private void Played(int source, int wasActive, long n, Span<float> block, ulong hash)
    {
        SlotChannel slot = _slots[source];
        if (source != wasActive)
        {
            Volatile.Write(ref _active, source);
            Volatile.Write(ref _failovers, _failovers + 1);
            _events.TryPost(new EngineEvent(EngineEventKind.Failover, wasActive, source, n));
        }
        float rms = Levels.Rms(block);
        slot.RecordPlayed(n, rms);
        for (int s = 0; s < _slots.Length; s++)
        {
            if (s != source)
            {
                CompareOther(_slots[s], source, n, hash);
            }
        }
        _declicker.AfterPlayed(block);
    }

    private bool TryPlay(SlotChannel slot, long n, Span<float> block, out ulong hash)
    {
        hash = 0;
        if (!Usable(slot) || slot.Mode != SlotMode.Readable || n < slot.FirstSeq)
        {
            return false;
        }
        ReadResult r = slot.Ring.TryRead(n, block, out hash);
        if (r == ReadResult.Faulty)
        {
            Fault(slot, n);
        }
        return r == ReadResult.Ok;
    }

    private void CompareOther(SlotChannel other, int source, long n, ulong playedHash)
    {
        if (!Usable(other) || other.Mode == SlotMode.Off || n < other.FirstSeq)
        {
            return; // before a resynced worker's first block, its ring may still hold the previous worker's blocks
        }
        ReadResult r = other.Ring.TryPeekHash(n, out ulong hash);
        if (r == ReadResult.Faulty)
        {
            Fault(other, n);
            return;
        }
        if (r == ReadResult.Missing)
        {
            if (other.Mode == SlotMode.Readable)
            {
                other.RecordMiss(); // it lacked a block another slot had: the measure of a slow worker
            }
            return;
        }
        bool equal = hash == playedHash;
        other.RecordMatch(equal);
        if (!equal)
        {
            Volatile.Write(ref _divergences, _divergences + 1);
            _events.TryPost(new EngineEvent(EngineEventKind.Divergence, other.Index, source, n));
        }
    }

    private static bool Usable(SlotChannel slot)
    {
        int generation = slot.Generation;
        if (slot.SeenGeneration != generation)
        {
            slot.SeenGeneration = generation;
            slot.FaultLatched = false;
        }
        return !slot.FaultLatched;
    }

    private void Fault(SlotChannel slot, long n)
    {
        slot.FaultLatched = true;
        slot.RecordFault();
        _events.TryPost(new EngineEvent(EngineEventKind.Faulty, slot.Index, -1, n));
    }
}
